import { PING_LIMIT, pingAllowance } from "../../domain/buddies/index.ts";
import type { BuddyPairing, Member } from "../../generated/prisma/client.ts";
import { enqueue } from "../../outbox/enqueue.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps, Tx } from "../deps.ts";
import { type PingAnswer, pingAnswerMessage, pingMessage } from "./messages.ts";

type PairingWithPeople = BuddyPairing & { newcomer: Member; buddy: Member };

export interface BuddyView {
  pairingId: string;
  otherName: string;
  otherUserId: string;
  /** True when the other person is the newcomer, i.e. the member asking is the buddy. */
  otherIsNewcomer: boolean;
  plannedEndAt: Date | null;
}

export type PingResult =
  | { outcome: "sent"; otherName: string }
  | { outcome: "no_buddy" }
  | { outcome: "not_yours" }
  | { outcome: "choose"; names: string[] }
  | { outcome: "limited"; otherName: string; retryAt: Date; zone: string };

export type PingAnswerResult = { outcome: "sent"; toName: string } | { outcome: "not_found" } | { outcome: "ended" };

function otherOf(pairing: PairingWithPeople, memberId: string): Member {
  return pairing.newcomerId === memberId ? pairing.buddy : pairing.newcomer;
}

function view(pairing: PairingWithPeople, memberId: string): BuddyView {
  const other = otherOf(pairing, memberId);
  return {
    pairingId: pairing.id,
    otherName: other.displayName,
    otherUserId: other.platformUserId,
    otherIsNewcomer: pairing.buddyId === memberId,
    plannedEndAt: pairing.plannedEndAt,
  };
}

async function activePairingsOf(tx: Tx, memberId: string): Promise<PairingWithPeople[]> {
  return tx.buddyPairing.findMany({
    where: { status: "active", OR: [{ newcomerId: memberId }, { buddyId: memberId }] },
    include: { newcomer: true, buddy: true },
    orderBy: { startedAt: "asc" },
  });
}

/** Messages between a newcomer and their buddy, the buddy's quick answers, and the newcomer's lapse-sharing choice. */
export function createPings(deps: ServiceDeps) {
  const { db, clock } = deps;

  return {
    /** The member's buddy, or the newcomers they buddy. */
    async buddiesOf(memberId: string): Promise<BuddyView[]> {
      return (await activePairingsOf(db, memberId)).map((p) => view(p, memberId));
    },

    /**
     * Sends a message (or, with no text, a nudge to get in touch) to the other person in the
     * pairing. `to` picks the newcomer when a senior peer buddies several.
     */
    async ping(memberId: string, input: { text: string | null; to?: string; pairingId?: string }): Promise<PingResult> {
      return db.$transaction(async (tx) => {
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
        const all = await activePairingsOf(tx, memberId);
        if (all.length === 0) return { outcome: "no_buddy" } as const;
        const chosen = input.pairingId
          ? all.find((p) => p.id === input.pairingId)
          : input.to
            ? all.find((p) => otherOf(p, memberId).platformUserId === input.to)
            : all.length === 1
              ? all[0]
              : undefined;
        if (!chosen) {
          // A forwarded or stale button for a pairing that is not (or no longer) theirs.
          if (input.pairingId) return { outcome: "not_yours" } as const;
          return { outcome: "choose", names: all.map((p) => otherOf(p, memberId).displayName) } as const;
        }
        // The limit is per pair: hold the pairing so two quick taps cannot both slip under it.
        const locked = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT id FROM "BuddyPairing" WHERE id = ${chosen.id} AND status = 'active'::"PairingStatus" FOR UPDATE`;
        if (locked.length === 0) return { outcome: "no_buddy" } as const;
        const now = clock.now();
        const other = otherOf(chosen, memberId);
        const earlier = await tx.buddyPing.findMany({
          where: { pairingId: chosen.id, createdAt: { gt: new Date(now.getTime() - PING_LIMIT.windowMinutes * 60_000) } },
          select: { createdAt: true },
        });
        const allowance = pingAllowance(
          earlier.map((p) => p.createdAt),
          now,
        );
        if (!allowance.allowed) {
          return {
            outcome: "limited",
            otherName: other.displayName,
            retryAt: allowance.retryAt,
            zone: member.timezone ?? member.house.timezone,
          } as const;
        }
        const ping = await tx.buddyPing.create({ data: { pairingId: chosen.id, fromId: memberId, createdAt: now } });
        await enqueue(tx, [
          {
            idempotencyKey: `buddy-ping:${ping.id}`,
            houseId: member.houseId,
            lane: "interactive",
            message: pingMessage(member.displayName, chosen.newcomerId === memberId, input.text, ping.id),
            targetMemberId: other.id,
            notBefore: now,
          },
        ]);
        return { outcome: "sent", otherName: other.displayName } as const;
      });
    },

    /** "On my way", "call me" or "talk later", back to whoever sent the ping; each answer is sent once. */
    async answerPing(memberId: string, pingId: string, answer: PingAnswer): Promise<PingAnswerResult> {
      return db.$transaction(async (tx) => {
        const ping = await tx.buddyPing.findUnique({
          where: { id: pingId },
          include: { from: true, pairing: { include: { newcomer: true, buddy: true } } },
        });
        const pairing = ping?.pairing;
        // Only the other person in the pair may answer; to anyone else the button does not exist.
        if (!ping || !pairing || ping.fromId === memberId || (pairing.newcomerId !== memberId && pairing.buddyId !== memberId)) {
          return { outcome: "not_found" } as const;
        }
        if (pairing.status !== "active") return { outcome: "ended" } as const;
        const answerer = pairing.newcomerId === memberId ? pairing.newcomer : pairing.buddy;
        await enqueue(tx, [
          {
            idempotencyKey: `buddy-ping-answer:${ping.id}:${answer}`,
            houseId: pairing.houseId,
            lane: "interactive",
            message: pingAnswerMessage(answerer.displayName, answer),
            targetMemberId: ping.fromId,
            notBefore: clock.now(),
          },
        ]);
        return { outcome: "sent", toName: ping.from.displayName } as const;
      });
    },

    /** The newcomer's choice whether their buddy hears of a lapse (never of any answers). */
    async setShareLapse(memberId: string, share: boolean): Promise<{ buddyName: string | null }> {
      return db.$transaction(async (tx) => {
        const member = await tx.member.update({ where: { id: memberId }, data: { shareLapseWithBuddy: share } });
        await recordAudit(tx, {
          houseId: member.houseId,
          actorId: memberId,
          action: "member.lapse_sharing_changed",
          subjectId: memberId,
          details: { share },
          at: clock.now(),
        });
        const pairing = await tx.buddyPairing.findFirst({ where: { newcomerId: memberId, status: "active" }, include: { buddy: true } });
        return { buddyName: pairing?.buddy.displayName ?? null };
      });
    },
  };
}
