import { randomUUID } from "node:crypto";
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
import { type HouseSettings, houseSettingsReader } from "../../domain/houseSettings.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { CheckinStatus, MemberRole, MemberStatus, SobrietyEventKind } from "../../generated/prisma/enums.ts";
import { enqueue, type OutboxItem } from "../../outbox/enqueue.ts";
import type { ServiceDeps, Tx } from "../deps.ts";
import { recordSignals, type SignalHandler } from "../signals.ts";
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

type Absence = { fromDate: string; toDate: string };

function covers(absences: Absence[] | undefined, localDate: string): boolean {
  return absences?.some((a) => a.fromDate <= localDate && a.toDate >= localDate) ?? false;
}

/** A resident due a prompt, with what the sweep needs of their house. */
interface DueResident {
  id: string;
  houseId: string;
  displayName: string;
  status: MemberStatus;
  role: MemberRole;
  consentAt: Date | null;
  isBot: boolean;
  checkinTime: string | null;
  timezone: string | null;
  nextCheckinAt: Date;
  celebrateInHouse: boolean;
  houseTimezone: string;
  houseSettings: Prisma.JsonValue;
  houseChannelId: string | null;
}

interface CheckinRow {
  id: string;
  memberId: string;
  localDate: string;
  dueAt: string;
  promptedAt: string | null;
  remindAt: string | null;
  closesAt: string;
  status: "pending" | "excused";
}

/** A day to open for a due resident, and what prompting them needs. */
interface Prompt {
  resident: DueResident;
  settings: HouseSettings;
  localDate: string;
  window: { remindAt: Date; closesAt: Date };
}

/**
 * In one statement, the approved absences of these residents that touch any of the local dates,
 * and their sobriety histories (oldest first), by resident.
 */
async function historyOf(tx: Tx, prompts: Prompt[]) {
  const dates = prompts.map((p) => p.localDate).sort();
  const [row] = await tx.$queryRaw<
    Array<{ absences: Array<Absence & { memberId: string }>; events: Array<{ memberId: string; kind: SobrietyEventKind; date: string }> }>
  >`
    WITH ids AS (SELECT jsonb_array_elements_text(${JSON.stringify(prompts.map((p) => p.resident.id))}::jsonb) AS id)
    SELECT
      (SELECT COALESCE(json_agg(json_build_object('memberId', "memberId", 'fromDate', "fromDate", 'toDate', "toDate")), '[]'::json)
        FROM "Absence" WHERE "memberId" = ANY(ARRAY(SELECT id FROM ids)) AND status = 'approved'::"AbsenceStatus"
          AND "fromDate" <= ${dates.at(-1)} AND "toDate" >= ${dates[0]}) AS absences,
      (SELECT COALESCE(json_agg(json_build_object('memberId', "memberId", 'kind', kind, 'date', date) ORDER BY "createdAt"), '[]'::json)
        FROM "SobrietyEvent" WHERE "memberId" = ANY(ARRAY(SELECT id FROM ids))) AS events`;
  const absences = new Map<string, Absence[]>();
  const events = new Map<string, Array<{ kind: SobrietyEventKind; date: string }>>();
  for (const absence of row?.absences ?? []) absences.set(absence.memberId, [...(absences.get(absence.memberId) ?? []), absence]);
  for (const event of row?.events ?? []) events.set(event.memberId, [...(events.get(event.memberId) ?? []), event]);
  return { absences, events };
}

/** Inserts the day rows that do not exist yet, in one statement; returns only those it created. */
async function insertCheckins(tx: Tx, rows: CheckinRow[]): Promise<Array<{ id: string; status: CheckinStatus }>> {
  const createdAt = new Date();
  return tx.$queryRaw`
    INSERT INTO "Checkin" (id, "memberId", "localDate", "dueAt", "promptedAt", "remindAt", "closesAt", status, "createdAt", "updatedAt")
    SELECT r.id, r."memberId", r."localDate", r."dueAt", r."promptedAt", r."remindAt", r."closesAt", r.status, ${createdAt}, ${createdAt}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id text, "memberId" text, "localDate" text, "dueAt" timestamp(3),
      "promptedAt" timestamp(3), "remindAt" timestamp(3), "closesAt" timestamp(3), status "CheckinStatus")
    ON CONFLICT DO NOTHING
    RETURNING id, status::text AS status`;
}

/** The congratulations owed when a prompted day is a milestone of the current streak: a DM, and a house post if wanted. */
function milestoneItems(
  { resident, settings, localDate }: Prompt,
  events: Array<{ kind: SobrietyEventKind; date: string }>,
  now: Date,
): OutboxItem[] {
  const summary = sobrietySummary(events, localDate);
  if (!summary.currentStreakStart || !mayBeMilestone(summary.currentStreakStart, localDate)) return [];
  const milestone = milestoneReachedOn(summary.currentStreakStart, localDate);
  if (!milestone) return [];
  const key = `milestone:${resident.id}:${summary.currentStreakStart}:${milestone.key}`;
  const items: OutboxItem[] = [
    {
      idempotencyKey: key,
      houseId: resident.houseId,
      lane: "bulk",
      message: message(`${milestone.label} today. That is something to be proud of. Well done, ${resident.displayName}.`, {
        title: "A milestone",
      }),
      targetMemberId: resident.id,
      notBefore: now,
    },
  ];
  const channel = resident.houseChannelId;
  if (channel && settings.milestonesInHouseChannel && resident.celebrateInHouse) {
    items.push({
      idempotencyKey: `${key}:house`,
      houseId: resident.houseId,
      lane: "bulk",
      // Only the milestone: nothing else about a resident is ever posted in a shared channel.
      message: message(`${resident.displayName} reaches ${milestone.label} today. Congratulations.`),
      targetChannelId: channel,
      notBefore: now,
    });
  }
  return items;
}

/**
 * The check-in part of the minute sweep: prompt who is due, remind who has not answered, close
 * windows. Each step claims rows with FOR UPDATE SKIP LOCKED in small batches, so several
 * processes share the work, and every write is idempotent (unique member + local date, unique
 * outbox keys, unique signal keys), so a repeated or overlapping sweep changes nothing. A batch
 * is a fixed handful of raw statements however many people it holds, so a minute with many
 * people due costs little more than one with few.
 */
export function createCheckinSweep(deps: ServiceDeps, onSignal: SignalHandler) {
  const { db } = deps;

  /** Claims up to a batch of residents due a prompt and handles them; returns how many were claimed. */
  async function promptBatch(tx: Tx, now: Date): Promise<number> {
    // OFFSET 0 keeps each house a lookup by key: joined, the planner would rather read every house.
    const due = await tx.$queryRaw<DueResident[]>`
      SELECT m.id, m."houseId", m."displayName", m.status::text AS status, m.role::text AS role, m."consentAt", m."isBot",
        m."checkinTime", m.timezone, m."nextCheckinAt", m."celebrateInHouse",
        h.timezone AS "houseTimezone", h.settings AS "houseSettings", h."houseChannelId"
      FROM "Member" AS m
      CROSS JOIN LATERAL (SELECT timezone, settings, "houseChannelId" FROM "House" WHERE id = m."houseId" OFFSET 0) AS h
      WHERE m."nextCheckinAt" <= ${now}
      ORDER BY m."nextCheckinAt" LIMIT ${BATCH}
      FOR UPDATE OF m SKIP LOCKED`;
    if (due.length === 0) return 0;

    const settingsOf = houseSettingsReader();
    const schedule: Array<{ id: string; next: string | null }> = [];
    const prompts: Prompt[] = [];
    for (const resident of due) {
      const dueAt = resident.nextCheckinAt;
      if (!isSchedulable(resident)) {
        schedule.push({ id: resident.id, next: null });
        continue;
      }
      const { time, zone } = effectiveSchedule(resident, { timezone: resident.houseTimezone, settings: resident.houseSettings });
      const next = nextCheckinInstant(new Date(Math.max(now.getTime(), dueAt.getTime())), time, zone).dueAt;
      schedule.push({ id: resident.id, next: next.toISOString() });
      const settings = settingsOf(resident.houseId, resident.houseSettings);
      const window = checkinWindow(dueAt, settings);
      // After downtime, a day whose window has already closed is skipped, not held against anyone.
      if (now < window.closesAt) prompts.push({ resident, settings, localDate: localDateOf(dueAt, zone), window });
    }
    // The ids go in as an array too, so the rows are found by primary key whatever the planner guesses.
    await tx.$executeRaw`
      WITH s AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(schedule)}::jsonb) AS s(id text, next timestamp(3)))
      UPDATE "Member" AS m SET "nextCheckinAt" = s.next, "updatedAt" = ${now}
      FROM s WHERE m.id = s.id AND m.id = ANY(ARRAY(SELECT id FROM s))`;
    if (prompts.length === 0) return due.length;

    const history = await historyOf(tx, prompts);
    const rows = prompts.map(({ resident, localDate, window }): CheckinRow => {
      const excused = covers(history.absences.get(resident.id), localDate);
      return {
        id: randomUUID(),
        memberId: resident.id,
        localDate,
        dueAt: resident.nextCheckinAt.toISOString(),
        promptedAt: excused ? null : now.toISOString(),
        remindAt: excused ? null : window.remindAt.toISOString(),
        closesAt: window.closesAt.toISOString(),
        status: excused ? "excused" : "pending",
      };
    });
    // Only rows created now are prompted: a day that already has its row was prompted before.
    const prompted = new Set((await insertCheckins(tx, rows)).filter((row) => row.status === "pending").map((row) => row.id));
    const items: OutboxItem[] = [];
    for (const [i, prompt] of prompts.entries()) {
      const checkin = rows[i] as CheckinRow;
      if (!prompted.has(checkin.id)) continue;
      const { resident } = prompt;
      items.push({
        idempotencyKey: `checkin:${resident.id}:${prompt.localDate}`,
        houseId: resident.houseId,
        lane: "prompt",
        message: promptMessage(checkin.id, resident.displayName),
        targetMemberId: resident.id,
        notBefore: now,
      });
      items.push(...milestoneItems(prompt, history.events.get(resident.id) ?? [], now));
    }
    await enqueue(tx, items);
    return due.length;
  }

  async function promptDue(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await db.$transaction((tx) => promptBatch(tx, now), { timeout: 120_000, maxWait: 30_000 });
      total += count;
      if (count < BATCH) return total;
    }
  }

  async function remindDue(now: Date): Promise<void> {
    for (;;) {
      const count = await db.$transaction(async (tx) => {
        const due = await tx.$queryRaw<Array<{ id: string; memberId: string; houseId: string; memberStatus: MemberStatus }>>`
          WITH due AS (
            SELECT c.id,
              (SELECT "houseId" FROM "Member" WHERE id = c."memberId") AS "houseId",
              (SELECT status::text FROM "Member" WHERE id = c."memberId") AS "memberStatus"
            FROM "Checkin" AS c
            WHERE c."remindAt" <= ${now} AND c.status = 'pending'::"CheckinStatus"
            ORDER BY c."remindAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
          )
          UPDATE "Checkin" AS c SET "remindAt" = NULL, "remindedAt" = ${now}, "updatedAt" = ${now}
          FROM due
          WHERE c.id = due.id AND c.id = ANY(ARRAY(SELECT id FROM due))
          RETURNING c.id, c."memberId", due."houseId", due."memberStatus"`;
        await enqueue(
          tx,
          due.flatMap((row) =>
            row.memberStatus === "active"
              ? [
                  {
                    idempotencyKey: `checkin-reminder:${row.id}`,
                    houseId: row.houseId,
                    lane: "reminder" as const,
                    message: reminderMessage(row.id),
                    targetMemberId: row.memberId,
                    notBefore: now,
                  },
                ]
              : [],
          ),
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
        // A day an approved absence covers is excused; any other unanswered day is missed.
        const closed = await tx.$queryRaw<
          Array<{ memberId: string; localDate: string; closesAt: Date; status: CheckinStatus; houseId: string; memberStatus: MemberStatus }>
        >`
          WITH due AS (
            SELECT c.id,
              (SELECT "houseId" FROM "Member" WHERE id = c."memberId") AS "houseId",
              (SELECT status::text FROM "Member" WHERE id = c."memberId") AS "memberStatus",
              EXISTS (
                SELECT 1 FROM "Absence" AS a
                WHERE a."memberId" = c."memberId" AND a.status = 'approved'::"AbsenceStatus"
                  AND a."fromDate" <= c."localDate" AND a."toDate" >= c."localDate"
              ) AS excused
            FROM "Checkin" AS c
            WHERE c.status = 'pending'::"CheckinStatus" AND c."closesAt" <= ${now}
            ORDER BY c."closesAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
          )
          UPDATE "Checkin" AS c
          SET status = CASE WHEN due.excused THEN 'excused'::"CheckinStatus" ELSE 'missed'::"CheckinStatus" END,
            "remindAt" = NULL, "updatedAt" = ${now}
          FROM due
          WHERE c.id = due.id AND c.id = ANY(ARRAY(SELECT id FROM due))
          RETURNING c."memberId", c."localDate", c."closesAt", c.status::text AS status, due."houseId", due."memberStatus"`;
        const signalled = closed
          .filter((row) => row.status === "missed" && row.memberStatus === "active")
          .sort((a, b) => a.closesAt.getTime() - b.closesAt.getTime());
        if (signalled.length === 0) return closed.length;
        const runs = await missedInARow(tx, signalled);
        // Signals already recorded (a sweep that overlapped this one) come back from neither insert nor handler.
        await recordSignals(
          tx,
          signalled.map((row) => ({
            houseId: row.houseId,
            memberId: row.memberId,
            kind: "missed_checkin" as const,
            dedupKey: `missed:${row.memberId}:${row.localDate}`,
            details: { localDate: row.localDate, missedInARow: runs.get(`${row.memberId}:${row.localDate}`) ?? 0 },
            occurredAt: now,
          })),
          onSignal,
        );
        return closed.length;
      });
      if (count < BATCH) return;
    }
  }

  return {
    promptDue,
    remindDue,
    closeDue,
  };
}
