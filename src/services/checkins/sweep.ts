import { message } from "../../core/message.ts";
import {
  addDays,
  checkinWindow,
  daysBetween,
  localDateOf,
  MILESTONES,
  milestoneReachedOn,
  nextCheckinInstant,
  sobrietySummary,
} from "../../domain/checkin/index.ts";
import { readHouseSettings } from "../../domain/houseSettings.ts";
import { type House, type Member, Prisma } from "../../generated/prisma/client.ts";
import type { CheckinStatus, SobrietyEventKind } from "../../generated/prisma/enums.ts";
import { enqueue, type OutboxItem } from "../../outbox/enqueue.ts";
import type { ServiceDeps, Tx } from "../deps.ts";
import type { SignalHandler } from "../signals.ts";
import { promptMessage, reminderMessage } from "./messages.ts";
import { effectiveSchedule, isSchedulable } from "./schedule.ts";

const BATCH = 200;

/** Whether an approved absence covers the member's local date. */
export async function excusedOn(tx: Tx, memberId: string, localDate: string): Promise<boolean> {
  const absence = await tx.absence.findFirst({
    where: { memberId, status: "approved", fromDate: { lte: localDate }, toDate: { gte: localDate } },
    select: { id: true },
  });
  return absence !== null;
}

const DAY_MILESTONES = new Set(MILESTONES.flatMap((m) => ("days" in m.after ? [m.after.days] : [])));

/**
 * Whether a milestone can fall on `date` at all, without working out the calendar: a day
 * milestone, or a month one, which keeps the start's day of the month (or falls on a month's last
 * day when that month is shorter). Most prompts are on no milestone, and this keeps them cheap.
 */
function mayBeMilestone(streakStart: string, date: string): boolean {
  if (DAY_MILESTONES.has(daysBetween(streakStart, date))) return true;
  const startDay = streakStart.slice(8);
  const day = date.slice(8);
  return day === startDay || (day < startDay && addDays(date, 1).endsWith("-01"));
}

/** Approved absences of these members that touch any of the given local dates, by member. */
async function absencesOf(tx: Tx, memberIds: string[], localDates: string[]) {
  if (memberIds.length === 0) return new Map<string, Array<{ fromDate: string; toDate: string }>>();
  const sorted = [...localDates].sort();
  const rows = await tx.absence.findMany({
    where: { memberId: { in: memberIds }, status: "approved", fromDate: { lte: sorted.at(-1) }, toDate: { gte: sorted[0] } },
    select: { memberId: true, fromDate: true, toDate: true },
  });
  const byMember = new Map<string, Array<{ fromDate: string; toDate: string }>>();
  for (const row of rows) byMember.set(row.memberId, [...(byMember.get(row.memberId) ?? []), row]);
  return byMember;
}

function covers(absences: Array<{ fromDate: string; toDate: string }> | undefined, localDate: string): boolean {
  return absences?.some((a) => a.fromDate <= localDate && a.toDate >= localDate) ?? false;
}

/**
 * The check-in part of the minute sweep: prompt who is due, remind who has not answered, close
 * windows. Each step claims rows with FOR UPDATE SKIP LOCKED in small batches, so several
 * processes share the work, and every write is idempotent (unique member + local date, unique
 * outbox keys), so a repeated or overlapping sweep changes nothing. A batch is handled with a
 * fixed number of statements rather than a few per resident, so a minute with many people due
 * costs little more than one with few.
 */
export function createCheckinSweep(deps: ServiceDeps, onSignal: SignalHandler) {
  const { db } = deps;

  type DueMember = Member & { house: House };

  async function promptBatch(tx: Tx, ids: string[], now: Date): Promise<void> {
    const members = await tx.member.findMany({ where: { id: { in: ids } }, include: { house: true } });
    const unschedulable: string[] = [];
    const rescheduled: Array<{ id: string; next: Date }> = [];
    const prompts: Array<{ member: DueMember; localDate: string; dueAt: Date; window: { remindAt: Date; closesAt: Date } }> = [];
    for (const member of members) {
      const dueAt = member.nextCheckinAt;
      if (!dueAt) continue;
      if (!isSchedulable(member)) {
        unschedulable.push(member.id);
        continue;
      }
      const { time, zone } = effectiveSchedule(member, member.house);
      const next = nextCheckinInstant(new Date(Math.max(now.getTime(), dueAt.getTime())), time, zone).dueAt;
      rescheduled.push({ id: member.id, next });
      const window = checkinWindow(dueAt, readHouseSettings(member.house.settings));
      // After downtime, a day whose window has already closed is skipped, not held against anyone.
      if (now < window.closesAt) prompts.push({ member, localDate: localDateOf(dueAt, zone), dueAt, window });
    }
    if (unschedulable.length) await tx.member.updateMany({ where: { id: { in: unschedulable } }, data: { nextCheckinAt: null } });
    if (rescheduled.length) {
      const values = Prisma.join(rescheduled.map((r) => Prisma.sql`(${r.id}, ${r.next.toISOString()}::timestamp(3))`));
      await tx.$executeRaw`UPDATE "Member" AS m SET "nextCheckinAt" = v.next, "updatedAt" = ${now.toISOString()}::timestamp(3)
        FROM (VALUES ${values}) AS v(id, next) WHERE m.id = v.id`;
    }
    if (prompts.length === 0) return;

    const absences = await absencesOf(
      tx,
      prompts.map((p) => p.member.id),
      prompts.map((p) => p.localDate),
    );
    // Only rows created now are prompted: a day that already has its row was prompted before.
    const created = await tx.checkin.createManyAndReturn({
      data: prompts.map(({ member, localDate, dueAt, window }) => {
        const excused = covers(absences.get(member.id), localDate);
        return {
          memberId: member.id,
          localDate,
          dueAt,
          promptedAt: excused ? null : now,
          remindAt: excused ? null : window.remindAt,
          closesAt: window.closesAt,
          status: excused ? ("excused" as const) : ("pending" as const),
        };
      }),
      skipDuplicates: true,
      select: { id: true, memberId: true, localDate: true, status: true },
    });
    const byMember = new Map(prompts.map((p) => [p.member.id, p.member]));
    const prompted = created.filter((c) => c.status === "pending");
    if (prompted.length === 0) return;
    await enqueue(
      tx,
      prompted.map((checkin) => {
        const member = byMember.get(checkin.memberId) as DueMember;
        return {
          idempotencyKey: `checkin:${member.id}:${checkin.localDate}`,
          houseId: member.houseId,
          lane: "prompt" as const,
          message: promptMessage(checkin.id, member.displayName),
          targetMemberId: member.id,
          notBefore: now,
        };
      }),
    );
    await celebrateMilestones(
      tx,
      prompted.map((c) => ({ member: byMember.get(c.memberId) as DueMember, localDate: c.localDate })),
      now,
    );
  }

  async function celebrateMilestones(tx: Tx, prompted: Array<{ member: DueMember; localDate: string }>, now: Date): Promise<void> {
    const events = await tx.sobrietyEvent.findMany({
      where: { memberId: { in: prompted.map((p) => p.member.id) } },
      orderBy: { createdAt: "asc" },
      select: { memberId: true, kind: true, date: true },
    });
    const eventsOf = new Map<string, Array<{ kind: SobrietyEventKind; date: string }>>();
    for (const event of events) eventsOf.set(event.memberId, [...(eventsOf.get(event.memberId) ?? []), event]);
    const items: OutboxItem[] = [];
    for (const { member, localDate } of prompted) {
      const summary = sobrietySummary(eventsOf.get(member.id) ?? [], localDate);
      if (!summary.currentStreakStart || !mayBeMilestone(summary.currentStreakStart, localDate)) continue;
      const milestone = milestoneReachedOn(summary.currentStreakStart, localDate);
      if (!milestone) continue;
      const key = `milestone:${member.id}:${summary.currentStreakStart}:${milestone.key}`;
      items.push({
        idempotencyKey: key,
        houseId: member.houseId,
        lane: "bulk",
        message: message(`${milestone.label} today. That is something to be proud of. Well done, ${member.displayName}.`, {
          title: "A milestone",
        }),
        targetMemberId: member.id,
        notBefore: now,
      });
      const channel = member.house.houseChannelId;
      if (channel && readHouseSettings(member.house.settings).milestonesInHouseChannel && member.celebrateInHouse) {
        items.push({
          idempotencyKey: `${key}:house`,
          houseId: member.houseId,
          lane: "bulk",
          // Only the milestone: nothing else about a resident is ever posted in a shared channel.
          message: message(`${member.displayName} reaches ${milestone.label} today. Congratulations.`),
          targetChannelId: channel,
          notBefore: now,
        });
      }
    }
    await enqueue(tx, items);
  }

  async function promptDue(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await db.$transaction(
        async (tx) => {
          const due = await tx.$queryRaw<Array<{ id: string }>>`
            SELECT id FROM "Member" WHERE "nextCheckinAt" <= ${now}
            ORDER BY "nextCheckinAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
          if (due.length)
            await promptBatch(
              tx,
              due.map((d) => d.id),
              now,
            );
          return due.length;
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
      total += count;
      if (count < BATCH) return total;
    }
  }

  async function remindDue(now: Date): Promise<void> {
    for (;;) {
      const count = await db.$transaction(async (tx) => {
        const due = await tx.$queryRaw<Array<{ id: string; memberId: string }>>`
          SELECT id, "memberId" FROM "Checkin" WHERE "remindAt" <= ${now} AND status = 'pending'::"CheckinStatus"
          ORDER BY "remindAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
        if (due.length === 0) return 0;
        const members = new Map(
          (
            await tx.member.findMany({
              where: { id: { in: due.map((row) => row.memberId) } },
              select: { id: true, houseId: true, status: true },
            })
          ).map((m) => [m.id, m]),
        );
        await tx.checkin.updateMany({ where: { id: { in: due.map((row) => row.id) } }, data: { remindAt: null, remindedAt: now } });
        await enqueue(
          tx,
          due.flatMap((row) => {
            const member = members.get(row.memberId);
            if (member?.status !== "active") return [];
            return [
              {
                idempotencyKey: `checkin-reminder:${row.id}`,
                houseId: member.houseId,
                lane: "reminder" as const,
                message: reminderMessage(row.id),
                targetMemberId: member.id,
                notBefore: now,
              },
            ];
          }),
        );
        return due.length;
      });
      if (count < BATCH) return;
    }
  }

  /**
   * For each closing day, the consecutive missed days ending with it, keyed "member:date"; excused
   * days neither count nor break the run. One statement: each member's 30 latest days up to it.
   */
  async function missedInARow(tx: Tx, days: Array<{ memberId: string; localDate: string }>): Promise<Map<string, number>> {
    const values = Prisma.join(days.map((d) => Prisma.sql`(${d.memberId}, ${d.localDate})`));
    const recent = await tx.$queryRaw<Array<{ memberId: string; day: string; status: CheckinStatus }>>`
      SELECT v.id AS "memberId", v.day, c.status::text AS status
      FROM (VALUES ${values}) AS v(id, day)
      CROSS JOIN LATERAL (
        SELECT status, "localDate" FROM "Checkin" WHERE "memberId" = v.id AND "localDate" <= v.day
        ORDER BY "localDate" DESC LIMIT 30
      ) AS c
      ORDER BY v.id, v.day, c."localDate" DESC`;
    const runs = new Map<string, number>();
    const ended = new Set<string>();
    for (const row of recent) {
      const key = `${row.memberId}:${row.day}`;
      if (ended.has(key)) continue;
      if (row.status === "missed") runs.set(key, (runs.get(key) ?? 0) + 1);
      else if (row.status !== "excused") ended.add(key);
    }
    return runs;
  }

  async function closeDue(now: Date): Promise<void> {
    for (;;) {
      const count = await db.$transaction(async (tx) => {
        const due = await tx.$queryRaw<Array<{ id: string; memberId: string; localDate: string }>>`
          SELECT id, "memberId", "localDate" FROM "Checkin" WHERE status = 'pending'::"CheckinStatus" AND "closesAt" <= ${now}
          ORDER BY "closesAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
        if (due.length === 0) return 0;
        const absences = await absencesOf(
          tx,
          due.map((row) => row.memberId),
          due.map((row) => row.localDate),
        );
        const missed = due.filter((row) => !covers(absences.get(row.memberId), row.localDate));
        const excused = due.filter((row) => !missed.includes(row));
        if (excused.length) {
          await tx.checkin.updateMany({ where: { id: { in: excused.map((row) => row.id) } }, data: { status: "excused", remindAt: null } });
        }
        if (missed.length === 0) return due.length;
        await tx.checkin.updateMany({ where: { id: { in: missed.map((row) => row.id) } }, data: { status: "missed", remindAt: null } });
        const members = new Map(
          (
            await tx.member.findMany({
              where: { id: { in: missed.map((row) => row.memberId) }, status: "active" },
              select: { id: true, houseId: true },
            })
          ).map((m) => [m.id, m]),
        );
        const signalled = missed.filter((row) => members.has(row.memberId));
        if (signalled.length === 0) return due.length;
        const runs = await missedInARow(tx, signalled);
        // Signals already recorded (a sweep that overlapped this one) come back from neither insert nor handler.
        const signals = await tx.riskSignal.createManyAndReturn({
          data: signalled.map((row) => ({
            houseId: (members.get(row.memberId) as { houseId: string }).houseId,
            memberId: row.memberId,
            kind: "missed_checkin" as const,
            dedupKey: `missed:${row.memberId}:${row.localDate}`,
            details: { localDate: row.localDate, missedInARow: runs.get(`${row.memberId}:${row.localDate}`) ?? 0 },
            occurredAt: now,
          })),
          skipDuplicates: true,
        });
        for (const signal of signals) await onSignal(tx, signal);
        return due.length;
      });
      if (count < BATCH) return;
    }
  }

  return {
    promptDue,
    remindDue,
    closeDue,
    async sweep(now: Date): Promise<void> {
      await promptDue(now);
      await remindDue(now);
      await closeDue(now);
    },
  };
}
