import { type Message, message } from "../../core/message.ts";
import {
  buddiedDays,
  type IneligibleReason,
  ineligibleReasons,
  type MatchRules,
  plannedEndOf,
  rankCandidates,
  readPreferences,
  stillNeedsBuddy,
} from "../../domain/buddies/index.ts";
import { localDateOf } from "../../domain/checkin/index.ts";
import { readHouseSettings } from "../../domain/houseSettings.ts";
import type { BuddyPairing, House, Member } from "../../generated/prisma/client.ts";
import { enqueue, enqueueUpdate } from "../../outbox/enqueue.ts";
import { recordAudit } from "../audit.ts";
import type { Tx } from "../deps.ts";
import { candidateFacts } from "./candidates.ts";
import {
  autoConfirmedMessage,
  type EndKind,
  endNoteForBuddy,
  endNoteForNewcomer,
  introForBuddy,
  introForNewcomer,
  noCandidateText,
  proposalMessage,
  proposalSettledMessage,
} from "./messages.ts";

/**
 * The building blocks of pairing, each run inside the caller's transaction so the pairing, its
 * history and its messages commit together.
 */

export type MemberWithHouse = Member & { house: House };

const STAFF = { in: ["counsellor", "admin"] as Array<"counsellor" | "admin"> };

/** Locks member rows in one order, so two pairings touching the same people queue instead of deadlocking. */
export async function lockMembers(tx: Tx, ids: string[]): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    await tx.$queryRaw`SELECT id FROM "Member" WHERE id = ${id} FOR UPDATE`;
  }
}

export function matchRules(house: House, now: Date, exclude: string[] = []): MatchRules {
  const settings = readHouseSettings(house.settings);
  return {
    today: localDateOf(now, house.timezone),
    buddyMinDays: settings.buddyMinDays,
    buddyCapacity: settings.buddyCapacity,
    seniorPeerCapacity: settings.seniorPeerCapacity,
    exclude,
  };
}

/** Every reason this person may not buddy this newcomer now. */
export async function reasonsAgainst(tx: Tx, buddy: Member, newcomer: Member, house: House, now: Date): Promise<IneligibleReason[]> {
  const [facts] = await candidateFacts(tx, [buddy], house.timezone, now);
  if (!facts) return ["not_resident"];
  return ineligibleReasons(facts, { id: newcomer.id, preferences: readPreferences(newcomer.preferences) }, matchRules(house, now));
}

/** Who hears about a newcomer's buddy: whoever acted and the key counsellor, or every counsellor when neither can. */
async function proposalRecipients(tx: Tx, newcomer: Member, actorId: string | null): Promise<Member[]> {
  const ids = [actorId, newcomer.keyCounsellorId].filter((id): id is string => id !== null);
  const named = ids.length
    ? await tx.member.findMany({ where: { id: { in: ids }, houseId: newcomer.houseId, role: STAFF, status: { not: "discharged" } } })
    : [];
  if (named.length > 0) return named;
  return tx.member.findMany({ where: { houseId: newcomer.houseId, role: STAFF, status: { not: "discharged" } } });
}

async function tellCounsellors(tx: Tx, newcomer: Member, recipients: Member[], round: string, body: Message, now: Date): Promise<void> {
  await enqueue(
    tx,
    recipients.map((counsellor) => ({
      idempotencyKey: `buddy-proposal:${newcomer.id}:${round}:${counsellor.id}`,
      houseId: newcomer.houseId,
      lane: "interactive" as const,
      message: body,
      targetMemberId: counsellor.id,
      correlationKey: `buddy-proposal:${newcomer.id}`,
      notBefore: now,
    })),
  );
}

export type ProposalOutcome =
  | { kind: "proposed"; names: string[] }
  | { kind: "auto_confirmed"; buddyName: string }
  | { kind: "none"; text: string };

/**
 * Proposes up to three ranked buddies to the counsellors, each with a Confirm button; confirms the
 * best one straight away when the house says so; or says why there is nobody. `round` keeps the
 * messages of one proposal round unique and a repeated round silent.
 */
export async function proposeBuddies(
  tx: Tx,
  input: { newcomer: MemberWithHouse; now: Date; actorId: string | null; round: string; exclude?: string[] },
): Promise<ProposalOutcome> {
  const { newcomer, now } = input;
  const house = newcomer.house;
  // A new round replaces proposals still waiting: their buttons will say they are out of date.
  await tx.buddyPairing.updateMany({
    where: { newcomerId: newcomer.id, status: "proposed" },
    data: { status: "declined", endReason: "superseded" },
  });
  const holders = await tx.member.findMany({
    where: { houseId: house.id, peerRole: { not: "none" }, status: { not: "discharged" }, id: { not: newcomer.id } },
  });
  const facts = await candidateFacts(tx, holders, house.timezone, now);
  const newcomerFacts = { id: newcomer.id, preferences: readPreferences(newcomer.preferences) };
  const result = rankCandidates(newcomerFacts, facts, matchRules(house, now, input.exclude));
  const recipients = await proposalRecipients(tx, newcomer, input.actorId);
  const byId = new Map(holders.map((h) => [h.id, h]));

  if (result.ranked.length === 0) {
    const text = noCandidateText(
      newcomer.displayName,
      holders.length,
      result.ineligible.flatMap((i) => i.reasons),
    );
    await tellCounsellors(tx, newcomer, recipients, input.round, message(text, { title: `A buddy for ${newcomer.displayName}` }), now);
    return { kind: "none", text };
  }

  const top = byId.get(result.ranked[0]?.id ?? "");
  if (top && readHouseSettings(house.settings).autoConfirmBuddy) {
    await lockMembers(tx, [newcomer.id, top.id]);
    // Re-read under the lock: another newcomer may have taken the last place in the meantime.
    if ((await reasonsAgainst(tx, top, newcomer, house, now)).length === 0) {
      await activatePairing(tx, { newcomer, buddy: top, proposedById: input.actorId, approvedById: null, rank: 1, now });
      await tellCounsellors(tx, newcomer, recipients, input.round, autoConfirmedMessage(newcomer.displayName, top.displayName), now);
      return { kind: "auto_confirmed", buddyName: top.displayName };
    }
  }

  const proposals = [];
  for (const candidate of result.ranked) {
    const buddy = byId.get(candidate.id);
    if (!buddy) continue;
    const row = await tx.buddyPairing.create({
      data: {
        houseId: house.id,
        newcomerId: newcomer.id,
        buddyId: buddy.id,
        status: "proposed",
        rank: candidate.rank,
        proposedById: input.actorId,
        createdAt: now,
      },
    });
    proposals.push({ pairingId: row.id, candidate: { ...candidate, name: buddy.displayName, peerRole: buddy.peerRole } });
  }
  await tellCounsellors(tx, newcomer, recipients, input.round, proposalMessage(newcomer.displayName, proposals), now);
  return { kind: "proposed", names: proposals.map((p) => p.candidate.name) };
}

/**
 * Starts a pairing (from a proposal, or a new row when a counsellor names the buddy), settles the
 * other proposals, and introduces the two. Callers have checked both people and hold their locks.
 */
export async function activatePairing(
  tx: Tx,
  input: {
    newcomer: MemberWithHouse;
    buddy: Member;
    proposalId?: string;
    proposedById: string | null;
    approvedById: string | null;
    rank: number | null;
    now: Date;
  },
): Promise<BuddyPairing> {
  const { newcomer, buddy, now } = input;
  const house = newcomer.house;
  const plannedEndAt = plannedEndOf(now, readHouseSettings(house.settings).pairingDays);
  const active = {
    status: "active" as const,
    activeNewcomerId: newcomer.id,
    approvedById: input.approvedById,
    startedAt: now,
    plannedEndAt,
  };
  const pairing = input.proposalId
    ? await tx.buddyPairing.update({ where: { id: input.proposalId }, data: active })
    : await tx.buddyPairing.create({
        data: {
          houseId: house.id,
          newcomerId: newcomer.id,
          buddyId: buddy.id,
          rank: input.rank,
          proposedById: input.proposedById,
          createdAt: now,
          ...active,
        },
      });
  await tx.buddyPairing.updateMany({
    where: { newcomerId: newcomer.id, status: "proposed", id: { not: pairing.id } },
    data: { status: "declined", endReason: "another_confirmed" },
  });
  await enqueue(tx, [
    {
      idempotencyKey: `buddy-intro:${pairing.id}:newcomer`,
      houseId: house.id,
      lane: "interactive",
      message: introForNewcomer(buddy.displayName, plannedEndAt, newcomer.timezone ?? house.timezone),
      targetMemberId: newcomer.id,
      notBefore: now,
    },
    {
      idempotencyKey: `buddy-intro:${pairing.id}:buddy`,
      houseId: house.id,
      lane: "interactive",
      message: introForBuddy(newcomer.displayName, plannedEndAt, buddy.timezone ?? house.timezone),
      targetMemberId: buddy.id,
      notBefore: now,
    },
  ]);
  await recordAudit(tx, {
    houseId: house.id,
    actorId: input.approvedById,
    action: "buddy.paired",
    subjectId: newcomer.id,
    details: { pairingId: pairing.id, buddyId: buddy.id, via: input.proposalId ? "proposal" : input.approvedById ? "pair" : "auto" },
    at: now,
  });
  // Every copy of the proposals now says who was chosen, so nobody confirms a stale one.
  const approver = input.approvedById ? await tx.member.findUnique({ where: { id: input.approvedById } }) : null;
  const copies = await tx.outbox.findMany({
    where: { correlationKey: `buddy-proposal:${newcomer.id}`, kind: "send", status: { in: ["pending", "sending", "sent"] } },
  });
  for (const copy of copies) {
    await enqueueUpdate(tx, {
      idempotencyKey: `${copy.idempotencyKey}:settled:${pairing.id}`,
      houseId: house.id,
      lane: "interactive",
      updateOfId: copy.id,
      message: proposalSettledMessage(newcomer.displayName, buddy.displayName, approver?.displayName ?? null),
      notBefore: now,
    });
  }
  return pairing;
}

/**
 * Ends an active pairing once (a second call finds it ended and does nothing), tells both people
 * kindly, and proposes a new buddy when the newcomer has not yet had their full settling-in time.
 */
export async function endPairing(
  tx: Tx,
  input: { pairingId: string; kind: EndKind; now: Date; actorId: string | null; reasonCipher?: string },
): Promise<{ ended: boolean; newcomerName: string | null; reproposed: ProposalOutcome | null }> {
  const { pairingId, kind, now } = input;
  const ended = await tx.buddyPairing.updateMany({
    where: { id: pairingId, status: "active" },
    data: { status: "ended", activeNewcomerId: null, endedAt: now, endReason: kind },
  });
  if (ended.count === 0) return { ended: false, newcomerName: null, reproposed: null };
  const pairing = await tx.buddyPairing.findUniqueOrThrow({
    where: { id: pairingId },
    include: { newcomer: { include: { house: true } }, buddy: true },
  });
  const { newcomer, buddy } = pairing;
  const house = newcomer.house;
  const settings = readHouseSettings(house.settings);
  const history = await tx.buddyPairing.findMany({
    where: { newcomerId: newcomer.id, status: { in: ["active", "ended"] } },
    select: { startedAt: true, endedAt: true, status: true },
  });
  const needs =
    kind !== "newcomer_left" &&
    !history.some((p) => p.status === "active") &&
    stillNeedsBuddy(newcomer, buddiedDays(history, now), settings.pairingDays);
  const notes = [];
  if (kind !== "buddy_left") {
    notes.push({
      idempotencyKey: `buddy-end:${pairingId}:buddy`,
      houseId: house.id,
      lane: "bulk" as const,
      message: endNoteForBuddy(kind, newcomer.displayName, settings.pairingDays),
      targetMemberId: buddy.id,
      notBefore: now,
    });
  }
  if (kind !== "newcomer_left") {
    notes.push({
      idempotencyKey: `buddy-end:${pairingId}:newcomer`,
      houseId: house.id,
      lane: "bulk" as const,
      message: endNoteForNewcomer(kind, buddy.displayName, needs),
      targetMemberId: newcomer.id,
      notBefore: now,
    });
  }
  await enqueue(tx, notes);
  await recordAudit(tx, {
    houseId: house.id,
    actorId: input.actorId,
    action: "buddy.pairing_ended",
    subjectId: newcomer.id,
    details: { pairingId, buddyId: buddy.id, kind, ...(input.reasonCipher ? { reasonCipher: input.reasonCipher } : {}) },
    at: now,
  });
  const reproposed = needs
    ? await proposeBuddies(tx, { newcomer, now, actorId: input.actorId, round: `after:${pairingId}`, exclude: [buddy.id] })
    : null;
  return { ended: true, newcomerName: newcomer.displayName, reproposed };
}
