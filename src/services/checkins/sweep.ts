import { message } from "../../core/message.ts";
import { checkinWindow, localDateOf, milestoneReachedOn, nextCheckinInstant, sobrietySummary } from "../../domain/checkin/index.ts";
import { readHouseSettings } from "../../domain/houseSettings.ts";
import { enqueue, type OutboxItem } from "../../outbox/enqueue.ts";
import type { ServiceDeps, Tx } from "../deps.ts";
import { recordSignal, type SignalHandler } from "../signals.ts";
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

async function sobrietyEvents(tx: Tx, memberId: string) {
  return tx.sobrietyEvent.findMany({ where: { memberId }, orderBy: { createdAt: "asc" }, select: { kind: true, date: true } });
}

/**
 * The check-in part of the minute sweep: prompt who is due, remind who has not answered, close
 * windows. Each step claims rows with FOR UPDATE SKIP LOCKED in small batches, so several
 * processes share the work, and every write is idempotent (unique member + local date, unique
 * outbox keys), so a repeated or overlapping sweep changes nothing.
 */
export function createCheckinSweep(deps: ServiceDeps, onSignal: SignalHandler) {
  const { db } = deps;

  async function promptMember(tx: Tx, memberId: string, now: Date): Promise<void> {
    const member = await tx.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
    const dueAt = member.nextCheckinAt;
    if (!dueAt) return;
    if (!isSchedulable(member)) {
      await tx.member.update({ where: { id: memberId }, data: { nextCheckinAt: null } });
      return;
    }
    const settings = readHouseSettings(member.house.settings);
    const { time, zone } = effectiveSchedule(member, member.house);
    const localDate = localDateOf(dueAt, zone);
    const window = checkinWindow(dueAt, settings);
    const next = nextCheckinInstant(new Date(Math.max(now.getTime(), dueAt.getTime())), time, zone).dueAt;
    await tx.member.update({ where: { id: memberId }, data: { nextCheckinAt: next } });

    // After downtime, a day whose window has already closed is skipped, not held against anyone.
    if (now >= window.closesAt) return;

    const excused = await excusedOn(tx, memberId, localDate);
    const created = await tx.checkin.createMany({
      data: [
        {
          memberId,
          localDate,
          dueAt,
          promptedAt: excused ? null : now,
          remindAt: excused ? null : window.remindAt,
          closesAt: window.closesAt,
          status: excused ? "excused" : "pending",
        },
      ],
      skipDuplicates: true,
    });
    if (created.count === 0 || excused) return;
    const checkin = await tx.checkin.findUniqueOrThrow({ where: { memberId_localDate: { memberId, localDate } } });
    await enqueue(tx, [
      {
        idempotencyKey: `checkin:${memberId}:${localDate}`,
        houseId: member.houseId,
        lane: "prompt",
        message: promptMessage(checkin.id, member.displayName),
        targetMemberId: memberId,
        notBefore: now,
      },
    ]);
    await celebrateMilestone(tx, member, localDate, settings.milestonesInHouseChannel, now);
  }

  async function celebrateMilestone(
    tx: Tx,
    member: { id: string; houseId: string; displayName: string; celebrateInHouse: boolean; house: { houseChannelId: string | null } },
    localDate: string,
    houseCelebrates: boolean,
    now: Date,
  ): Promise<void> {
    const summary = sobrietySummary(await sobrietyEvents(tx, member.id), localDate);
    if (!summary.currentStreakStart) return;
    const milestone = milestoneReachedOn(summary.currentStreakStart, localDate);
    if (!milestone) return;
    const key = `milestone:${member.id}:${summary.currentStreakStart}:${milestone.key}`;
    const items: OutboxItem[] = [
      {
        idempotencyKey: key,
        houseId: member.houseId,
        lane: "bulk",
        message: message(`${milestone.label} today. That is something to be proud of. Well done, ${member.displayName}.`, {
          title: "A milestone",
        }),
        targetMemberId: member.id,
        notBefore: now,
      },
    ];
    const channel = member.house.houseChannelId;
    if (channel && houseCelebrates && member.celebrateInHouse) {
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
          for (const { id } of due) await promptMember(tx, id, now);
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
        for (const row of due) {
          const member = await tx.member.findUniqueOrThrow({ where: { id: row.memberId } });
          await tx.checkin.update({ where: { id: row.id }, data: { remindAt: null, remindedAt: now } });
          if (member.status !== "active") continue;
          await enqueue(tx, [
            {
              idempotencyKey: `checkin-reminder:${row.id}`,
              houseId: member.houseId,
              lane: "reminder",
              message: reminderMessage(row.id),
              targetMemberId: member.id,
              notBefore: now,
            },
          ]);
        }
        return due.length;
      });
      if (count < BATCH) return;
    }
  }

  /** Consecutive missed days ending with this one; excused days neither count nor break the run. */
  async function missedInARow(tx: Tx, memberId: string, localDate: string): Promise<number> {
    const recent = await tx.checkin.findMany({
      where: { memberId, localDate: { lte: localDate } },
      orderBy: { localDate: "desc" },
      take: 30,
      select: { status: true },
    });
    let run = 0;
    for (const day of recent) {
      if (day.status === "missed") run++;
      else if (day.status === "excused") continue;
      else break;
    }
    return run;
  }

  async function closeDue(now: Date): Promise<void> {
    for (;;) {
      const count = await db.$transaction(async (tx) => {
        const due = await tx.$queryRaw<Array<{ id: string; memberId: string; localDate: string }>>`
          SELECT id, "memberId", "localDate" FROM "Checkin" WHERE status = 'pending'::"CheckinStatus" AND "closesAt" <= ${now}
          ORDER BY "closesAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
        for (const row of due) {
          const excused = await excusedOn(tx, row.memberId, row.localDate);
          await tx.checkin.update({ where: { id: row.id }, data: { status: excused ? "excused" : "missed", remindAt: null } });
          if (excused) continue;
          const member = await tx.member.findUniqueOrThrow({ where: { id: row.memberId } });
          if (member.status !== "active") continue;
          await recordSignal(
            tx,
            {
              houseId: member.houseId,
              memberId: member.id,
              kind: "missed_checkin",
              dedupKey: `missed:${member.id}:${row.localDate}`,
              details: { localDate: row.localDate, missedInARow: await missedInARow(tx, member.id, row.localDate) },
              occurredAt: now,
            },
            onSignal,
          );
        }
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
