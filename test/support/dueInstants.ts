import type { Db } from "../../src/db/client.ts";

/**
 * The earliest instant anything in the database is due: a check-in, a reminder, a window
 * closing, an escalation, a re-trigger, an outbox send or retry (or a lease running out), the
 * end of a buddy pairing. Simulations jump the clock straight there instead of ticking every minute.
 */
export async function earliestDue(db: Db): Promise<number | null> {
  const [member, remind, close, alert, retrigger, outbox, pairing] = await Promise.all([
    db.member.findFirst({ where: { nextCheckinAt: { not: null } }, orderBy: { nextCheckinAt: "asc" }, select: { nextCheckinAt: true } }),
    db.checkin.findFirst({
      where: { remindAt: { not: null }, status: "pending" },
      orderBy: { remindAt: "asc" },
      select: { remindAt: true },
    }),
    db.checkin.findFirst({ where: { status: "pending" }, orderBy: { closesAt: "asc" }, select: { closesAt: true } }),
    db.alert.findFirst({
      where: { state: "open", nextEscalationAt: { not: null } },
      orderBy: { nextEscalationAt: "asc" },
      select: { nextEscalationAt: true },
    }),
    db.alert.findFirst({
      where: { state: "acknowledged", retriggerAt: { not: null } },
      orderBy: { retriggerAt: "asc" },
      select: { retriggerAt: true },
    }),
    db.outbox.findFirst({
      where: { OR: [{ status: "pending" }, { status: "sending" }] },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true, leaseUntil: true, status: true },
    }),
    db.buddyPairing.findFirst({
      where: { status: "active", plannedEndAt: { not: null } },
      orderBy: { plannedEndAt: "asc" },
      select: { plannedEndAt: true },
    }),
  ]);
  // A row claimed by a process that died is due again when its lease runs out.
  const outboxDue = outbox ? (outbox.status === "sending" && outbox.leaseUntil ? outbox.leaseUntil : outbox.nextAttemptAt) : null;
  const candidates = [
    member?.nextCheckinAt,
    remind?.remindAt,
    close?.closesAt,
    alert?.nextEscalationAt,
    retrigger?.retriggerAt,
    outboxDue,
    pairing?.plannedEndAt,
  ]
    .filter((d): d is Date => d instanceof Date)
    .map((d) => d.getTime());
  return candidates.length ? Math.min(...candidates) : null;
}
