import { message } from "../../core/message.ts";
import { daysBetween } from "../../domain/checkin/index.ts";
import type { Absence } from "../../generated/prisma/client.ts";
import { enqueue } from "../../outbox/enqueue.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps, Tx } from "../deps.ts";

export const MAX_ABSENCE_DAYS = 60;

export type AbsenceRequestResult = { outcome: "requested"; absence: Absence; counsellors: number } | { outcome: "invalid"; reason: string };

export type AbsenceDecision =
  | { outcome: "decided"; absence: Absence; approved: boolean; memberName: string }
  | { outcome: "already_decided"; absence: Absence }
  | { outcome: "not_found" };

export function validRange(from: string, to: string): string | null {
  const days = daysBetween(from, to);
  if (days < 0) return "the end date is before the start date";
  if (days >= MAX_ABSENCE_DAYS) return `an absence can cover at most ${MAX_ABSENCE_DAYS} days; ask for another one after`;
  return null;
}

/** Excused days never count as missed: marks the member's open or missed days in the range as excused. */
async function excuseDays(tx: Tx, memberId: string, from: string, to: string): Promise<void> {
  await tx.checkin.updateMany({
    where: { memberId, localDate: { gte: from, lte: to }, status: { in: ["pending", "missed"] } },
    data: { status: "excused", remindAt: null },
  });
}

export function createAbsences(deps: ServiceDeps) {
  const { db, clock } = deps;

  return {
    /** A resident asks to be excused (day pass, work shift, court, hospital); counsellors decide by button. */
    async request(memberId: string, from: string, to: string, reason: string): Promise<AbsenceRequestResult> {
      const problem = validRange(from, to);
      if (problem) return { outcome: "invalid", reason: problem };
      return db.$transaction(async (tx) => {
        const now = clock.now();
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
        const absence = await tx.absence.create({
          data: { memberId, fromDate: from, toDate: to, reason: deps.cipher.encrypt(reason), requestedById: memberId },
        });
        const counsellors = await tx.member.findMany({
          where: member.keyCounsellorId
            ? { id: member.keyCounsellorId }
            : { houseId: member.houseId, role: { in: ["counsellor", "admin"] }, status: { not: "discharged" } },
        });
        await enqueue(
          tx,
          counsellors.map((counsellor) => ({
            idempotencyKey: `absence:${absence.id}:${counsellor.id}`,
            houseId: member.houseId,
            lane: "interactive" as const,
            message: message(`${member.displayName} asks to be excused from check-ins.`, {
              title: "Absence request",
              fields: [
                { label: "From", value: from },
                { label: "To", value: to },
                { label: "Reason", value: reason },
              ],
              buttons: [
                [
                  { actionId: `abs:approve:${absence.id}`, label: "Approve", style: "primary" },
                  { actionId: `abs:decline:${absence.id}`, label: "Decline" },
                ],
              ],
            }),
            targetMemberId: counsellor.id,
            notBefore: now,
          })),
        );
        return { outcome: "requested", absence, counsellors: counsellors.length } as const;
      });
    },

    /** A counsellor approves or declines; the first decision stands. */
    async decide(absenceId: string, counsellorId: string, approve: boolean): Promise<AbsenceDecision> {
      return db.$transaction(async (tx) => {
        const now = clock.now();
        const counsellor = await tx.member.findUniqueOrThrow({ where: { id: counsellorId } });
        const absence = await tx.absence.findUnique({ where: { id: absenceId }, include: { member: true } });
        if (!absence || absence.member.houseId !== counsellor.houseId) return { outcome: "not_found" } as const;
        if (absence.status !== "requested") return { outcome: "already_decided", absence } as const;
        const decided = await tx.absence.update({
          where: { id: absenceId },
          data: { status: approve ? "approved" : "declined", decidedById: counsellorId, decidedAt: now },
        });
        if (approve) await excuseDays(tx, absence.memberId, absence.fromDate, absence.toDate);
        await recordAudit(tx, {
          houseId: counsellor.houseId,
          actorId: counsellorId,
          action: approve ? "absence.approved" : "absence.declined",
          subjectId: absence.memberId,
          at: now,
        });
        await enqueue(tx, [
          {
            idempotencyKey: `absence-decided:${absenceId}`,
            houseId: counsellor.houseId,
            lane: "interactive",
            message: message(
              approve
                ? `You're excused from check-ins from ${absence.fromDate} to ${absence.toDate}. Take care.`
                : `Your request to be excused from ${absence.fromDate} to ${absence.toDate} wasn't approved. Have a word with ${counsellor.displayName} if you'd like to talk it over.`,
            ),
            targetMemberId: absence.memberId,
            notBefore: now,
          },
        ]);
        return { outcome: "decided", absence: decided, approved: approve, memberName: absence.member.displayName } as const;
      });
    },

    /** A counsellor excuses a resident directly, including days already marked missed. */
    async excuse(counsellorId: string, memberId: string, from: string, to: string, reason: string): Promise<Absence | { invalid: string }> {
      const problem = validRange(from, to);
      if (problem) return { invalid: problem };
      return db.$transaction(async (tx) => {
        const now = clock.now();
        const absence = await tx.absence.create({
          data: {
            memberId,
            fromDate: from,
            toDate: to,
            reason: deps.cipher.encrypt(reason),
            status: "approved",
            requestedById: counsellorId,
            decidedById: counsellorId,
            decidedAt: now,
          },
        });
        await excuseDays(tx, memberId, from, to);
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
        await recordAudit(tx, { houseId: member.houseId, actorId: counsellorId, action: "absence.excused", subjectId: memberId, at: now });
        await enqueue(tx, [
          {
            idempotencyKey: `absence-decided:${absence.id}`,
            houseId: member.houseId,
            lane: "interactive",
            message: message(`A counsellor has excused you from check-ins from ${from} to ${to}.`),
            targetMemberId: memberId,
            notBefore: now,
          },
        ]);
        return absence;
      });
    },
  };
}

export type Absences = ReturnType<typeof createAbsences>;
