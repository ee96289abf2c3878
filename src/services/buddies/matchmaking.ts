import { BLOCKING_REASONS, type IneligibleReason } from "../../domain/buddies/index.ts";
import type { ServiceDeps } from "../deps.ts";
import { activatePairing, endPairing, lockMembers, type ProposalOutcome, reasonsAgainst } from "./pairing.ts";
import { residentByMention, type TargetRefusal } from "./targets.ts";

const BATCH = 100;

export type ConfirmResult =
  | { outcome: "done"; newcomerName: string; buddyName: string; plannedEndAt: Date }
  | { outcome: "refused"; reason: "not_found" | "out_of_date" }
  | { outcome: "refused"; reason: "already_confirmed" | "newcomer_paired"; buddyName: string; newcomerName: string }
  | { outcome: "refused"; reason: "buddy_unavailable"; buddyName: string; reasons: IneligibleReason[] };

export type PairResult =
  | { outcome: "done"; newcomerName: string; buddyName: string; plannedEndAt: Date; notes: IneligibleReason[] }
  | { outcome: "refused"; reason: "self" }
  | { outcome: "refused"; reason: TargetRefusal; who: "newcomer" | "buddy" }
  | { outcome: "refused"; reason: "already_paired"; newcomerName: string; buddyName: string }
  | { outcome: "refused"; reason: "buddy_blocked"; buddyName: string; reasons: IneligibleReason[] };

export type UnpairResult =
  | { outcome: "done"; newcomerName: string; buddyName: string; proposal: ProposalOutcome | null }
  | { outcome: "refused"; reason: TargetRefusal }
  | { outcome: "refused"; reason: "not_paired"; newcomerName: string };

/** Confirming proposals, pairing and unpairing by hand, and ending pairings whose time is up. */
export function createMatchmaking(deps: ServiceDeps) {
  const { db, clock, cipher } = deps;

  return {
    /** A counsellor presses Confirm on a proposal: everything is checked again, since time has passed. */
    async confirm(actorId: string, pairingId: string): Promise<ConfirmResult> {
      return db.$transaction(async (tx) => {
        const actor = await tx.member.findUnique({ where: { id: actorId } });
        const found = await tx.buddyPairing.findUnique({ where: { id: pairingId } });
        if (!actor || !found || found.houseId !== actor.houseId) return { outcome: "refused", reason: "not_found" } as const;
        await lockMembers(tx, [found.newcomerId, found.buddyId]);
        const proposal = await tx.buddyPairing.findUniqueOrThrow({
          where: { id: pairingId },
          include: { newcomer: { include: { house: true } }, buddy: true },
        });
        const { newcomer, buddy } = proposal;
        const names = { newcomerName: newcomer.displayName, buddyName: buddy.displayName };
        if (proposal.status === "active") return { outcome: "refused", reason: "already_confirmed", ...names } as const;
        if (proposal.status !== "proposed" || newcomer.status === "discharged")
          return { outcome: "refused", reason: "out_of_date" } as const;
        const current = await tx.buddyPairing.findFirst({ where: { newcomerId: newcomer.id, status: "active" }, include: { buddy: true } });
        if (current) {
          return {
            outcome: "refused",
            reason: "newcomer_paired",
            newcomerName: newcomer.displayName,
            buddyName: current.buddy.displayName,
          } as const;
        }
        const reasons = await reasonsAgainst(tx, buddy, newcomer, newcomer.house, clock.now());
        if (reasons.length > 0) return { outcome: "refused", reason: "buddy_unavailable", buddyName: buddy.displayName, reasons } as const;
        const pairing = await activatePairing(tx, {
          newcomer,
          buddy,
          proposalId: proposal.id,
          proposedById: proposal.proposedById,
          approvedById: actorId,
          rank: proposal.rank,
          now: clock.now(),
        });
        return { outcome: "done", ...names, plannedEndAt: pairing.plannedEndAt ?? clock.now() } as const;
      });
    },

    /**
     * A counsellor names the buddy. The role, capacity and being a resident in the house are firm;
     * time in the programme and a recent lapse or alert are the counsellor's call, shown as notes.
     */
    async pair(actorId: string, houseId: string, newcomerUserId: string, buddyUserId: string): Promise<PairResult> {
      return db.$transaction(async (tx) => {
        if (newcomerUserId === buddyUserId) return { outcome: "refused", reason: "self" } as const;
        const n = await residentByMention(tx, houseId, newcomerUserId);
        if (!n.ok) return { outcome: "refused", reason: n.reason, who: "newcomer" } as const;
        const b = await residentByMention(tx, houseId, buddyUserId);
        if (!b.ok) return { outcome: "refused", reason: b.reason, who: "buddy" } as const;
        const newcomer = n.member;
        const buddy = b.member;
        await lockMembers(tx, [newcomer.id, buddy.id]);
        const current = await tx.buddyPairing.findFirst({ where: { newcomerId: newcomer.id, status: "active" }, include: { buddy: true } });
        if (current) {
          return {
            outcome: "refused",
            reason: "already_paired",
            newcomerName: newcomer.displayName,
            buddyName: current.buddy.displayName,
          } as const;
        }
        const now = clock.now();
        const reasons = await reasonsAgainst(tx, buddy, newcomer, newcomer.house, now);
        const blocking = reasons.filter((r) => BLOCKING_REASONS.has(r));
        if (blocking.length > 0)
          return { outcome: "refused", reason: "buddy_blocked", buddyName: buddy.displayName, reasons: blocking } as const;
        const pairing = await activatePairing(tx, { newcomer, buddy, proposedById: actorId, approvedById: actorId, rank: null, now });
        return {
          outcome: "done",
          newcomerName: newcomer.displayName,
          buddyName: buddy.displayName,
          plannedEndAt: pairing.plannedEndAt ?? now,
          notes: reasons,
        } as const;
      });
    },

    /** Ends a newcomer's pairing early; the reason is kept encrypted in the audit log and told to nobody. */
    async unpair(actorId: string, houseId: string, newcomerUserId: string, reason: string): Promise<UnpairResult> {
      return db.$transaction(async (tx) => {
        const n = await residentByMention(tx, houseId, newcomerUserId);
        if (!n.ok) return { outcome: "refused", reason: n.reason } as const;
        await lockMembers(tx, [n.member.id]);
        const current = await tx.buddyPairing.findFirst({ where: { newcomerId: n.member.id, status: "active" }, include: { buddy: true } });
        if (!current) return { outcome: "refused", reason: "not_paired", newcomerName: n.member.displayName } as const;
        const ended = await endPairing(tx, {
          pairingId: current.id,
          kind: "unpaired",
          now: clock.now(),
          actorId,
          reasonCipher: cipher.encrypt(reason),
        });
        return {
          outcome: "done",
          newcomerName: n.member.displayName,
          buddyName: current.buddy.displayName,
          proposal: ended.reproposed,
        } as const;
      });
    },

    /**
     * Part of the minute sweep: pairings whose time is up end with a thank-you. Claimed with SKIP
     * LOCKED so several processes share the work; ending twice is impossible (endPairing checks).
     */
    async sweep(now: Date): Promise<void> {
      for (;;) {
        const count = await db.$transaction(
          async (tx) => {
            const due = await tx.$queryRaw<Array<{ id: string }>>`
              SELECT id FROM "BuddyPairing" WHERE status = 'active'::"PairingStatus" AND "plannedEndAt" <= ${now}
              ORDER BY "plannedEndAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
            for (const { id } of due) await endPairing(tx, { pairingId: id, kind: "completed", now, actorId: null });
            return due.length;
          },
          { timeout: 120_000, maxWait: 30_000 },
        );
        if (count < BATCH) return;
      }
    },
  };
}
