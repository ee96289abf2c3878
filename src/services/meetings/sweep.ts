import { addDays, checkinInstantOn, localDateOf, nextCheckinInstant } from "../../domain/checkin/schedule.ts";
import { readHouseSettings } from "../../domain/houseSettings.ts";
import { nextOccurrences, type Occurrence, occurrencesBetween } from "../../domain/meetings/index.ts";
import type { House, Meeting } from "../../generated/prisma/client.ts";
import { enqueue, type OutboxItem } from "../../outbox/enqueue.ts";
import type { ServiceDeps, Tx } from "../deps.ts";
import { dailyPostMessage, followUpMessage, reminderMessage } from "./messages.ts";
import { recipientsFor } from "./recipients.ts";

const BATCH = 200;
const MINUTE_MS = 60_000;

/** How long after a meeting ends "did you go?" may still be asked (after downtime, say). */
const FOLLOW_UP_WINDOW_MINUTES = 6 * 60;
/** When the house channel's "today's meetings" goes out, in the house's zone. */
export const DAILY_POST_TIME = "07:00";

/**
 * The meetings part of the minute sweep. Nothing here is stored as "next due": every tick works
 * out from each meeting's schedule which occurrences are in their reminder window or have just
 * ended, and queues messages under idempotency keys naming member, meeting and occurrence, so a
 * repeated, overlapping or late tick sends each message once. Meetings are claimed in batches
 * with FOR NO KEY UPDATE SKIP LOCKED, so several processes share the work without blocking
 * residents who follow a meeting meanwhile.
 */
export function createMeetingSweep(deps: ServiceDeps) {
  const { db } = deps;

  async function remind(tx: Tx, meeting: Meeting & { house: House }, occurrence: Occurrence, now: Date): Promise<void> {
    const recipients = await recipientsFor(tx, meeting, occurrence);
    const items: OutboxItem[] = recipients.map((r) => ({
      idempotencyKey: `meeting-reminder:${r.member.id}:${meeting.id}:${occurrence.localDate}`,
      houseId: meeting.houseId,
      lane: "reminder",
      message: reminderMessage(meeting, occurrence, { readerZone: r.zone, now, subscribed: r.subscribed }),
      targetMemberId: r.member.id,
      correlationKey: `meeting:${meeting.id}`,
      notBefore: now,
    }));
    await enqueue(tx, items);
  }

  async function askAfterwards(tx: Tx, meeting: Meeting & { house: House }, occurrence: Occurrence, now: Date): Promise<void> {
    const recipients = await recipientsFor(tx, meeting, occurrence);
    if (recipients.length === 0) return;
    const answered = new Set(
      (
        await tx.attendance.findMany({
          where: { meetingId: meeting.id, localDate: occurrence.localDate, memberId: { in: recipients.map((r) => r.member.id) } },
          select: { memberId: true },
        })
      ).map((a) => a.memberId),
    );
    await enqueue(
      tx,
      recipients
        .filter((r) => !answered.has(r.member.id))
        .map((r) => ({
          idempotencyKey: `meeting-followup:${r.member.id}:${meeting.id}:${occurrence.localDate}`,
          houseId: meeting.houseId,
          lane: "prompt" as const,
          message: followUpMessage(meeting, occurrence, r.zone),
          targetMemberId: r.member.id,
          correlationKey: `meeting:${meeting.id}`,
          notBefore: now,
        })),
    );
  }

  async function sweepMeeting(tx: Tx, meeting: Meeting & { house: House }, now: Date): Promise<void> {
    const { meetingReminderMinutes } = readHouseSettings(meeting.house.settings);
    // A reminder is due from its instant until the meeting starts; an occurrence starting
    // within the lead time is inside its window now.
    const leadMs = meetingReminderMinutes * MINUTE_MS;
    for (const occurrence of occurrencesBetween(meeting, new Date(now.getTime() + 1), new Date(now.getTime() + leadMs + 1))) {
      await remind(tx, meeting, occurrence, now);
    }
    const windowMs = FOLLOW_UP_WINDOW_MINUTES * MINUTE_MS;
    const earliestStart = new Date(now.getTime() - windowMs - meeting.durationMinutes * MINUTE_MS);
    for (const occurrence of occurrencesBetween(meeting, earliestStart, now)) {
      const sinceEnd = now.getTime() - occurrence.endsAt.getTime();
      if (sinceEnd >= 0 && sinceEnd < windowMs) await askAfterwards(tx, meeting, occurrence, now);
    }
  }

  /** When this meeting next needs the sweep: its next reminder instant and the end of its next occurrence. */
  function nextDueInstants(meeting: Meeting & { house: House }, now: Date): { nextReminderAt: Date; nextFollowUpAt: Date } {
    const leadMs = readHouseSettings(meeting.house.settings).meetingReminderMinutes * MINUTE_MS;
    // A meeting that is never held (no weekdays) is looked at again in a week rather than every minute.
    const inAWeek = new Date(now.getTime() + 7 * 24 * 60 * MINUTE_MS);
    const [toRemind] = nextOccurrences(meeting, new Date(now.getTime() + leadMs + 1), 1);
    const [toAsk] = nextOccurrences(meeting, new Date(now.getTime() - meeting.durationMinutes * MINUTE_MS + 1), 1);
    return {
      nextReminderAt: toRemind ? new Date(toRemind.startsAt.getTime() - leadMs) : inAWeek,
      nextFollowUpAt: toAsk ? toAsk.endsAt : inAWeek,
    };
  }

  /**
   * Only meetings with something due are claimed: each stores when it next reminds and next asks
   * (null when it has to be worked out again), so a minute with nothing due costs two indexed
   * lookups however many meetings the houses hold.
   */
  async function sweepMeetings(now: Date): Promise<void> {
    let after = "";
    for (;;) {
      const count = await db.$transaction(
        async (tx) => {
          const claimed = await tx.$queryRaw<Array<{ id: string }>>`
            SELECT id FROM "Meeting"
            WHERE active AND id > ${after}
              AND ("nextReminderAt" IS NULL OR "nextReminderAt" <= ${now} OR "nextFollowUpAt" IS NULL OR "nextFollowUpAt" <= ${now})
            ORDER BY id LIMIT ${BATCH} FOR NO KEY UPDATE SKIP LOCKED`;
          if (claimed.length === 0) return 0;
          const meetings = await tx.meeting.findMany({ where: { id: { in: claimed.map((c) => c.id) } }, include: { house: true } });
          for (const meeting of meetings) {
            await sweepMeeting(tx, meeting, now);
            await tx.meeting.update({ where: { id: meeting.id }, data: nextDueInstants(meeting, now) });
          }
          after = claimed.at(-1)?.id ?? after;
          return claimed.length;
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
      if (count < BATCH) return;
    }
  }

  /** Once a day from 07:00 house time, while a meeting of the day is still to start. */
  async function postToday(tx: Tx, house: House, now: Date): Promise<void> {
    const settings = readHouseSettings(house.settings);
    if (!settings.dailyMeetingsPost || !house.houseChannelId) return;
    const today = localDateOf(now, house.timezone);
    if (now < checkinInstantOn(today, DAILY_POST_TIME, house.timezone)) return;
    const from = checkinInstantOn(today, "00:00", house.timezone);
    const to = checkinInstantOn(addDays(today, 1), "00:00", house.timezone);
    const meetings = await tx.meeting.findMany({ where: { houseId: house.id, active: true } });
    const items = meetings
      .flatMap((meeting) => occurrencesBetween(meeting, from, to).map((occurrence) => ({ meeting, occurrence })))
      .sort((a, b) => a.occurrence.startsAt.getTime() - b.occurrence.startsAt.getTime());
    if (!items.some((item) => item.occurrence.startsAt > now)) return;
    await enqueue(tx, [
      {
        idempotencyKey: `meetings-today:${house.id}:${today}`,
        houseId: house.id,
        lane: "bulk",
        message: dailyPostMessage(items, house.timezone),
        targetChannelId: house.houseChannelId,
        notBefore: now,
      },
    ]);
  }

  /** Houses whose 07:00 has come (or whose post time has to be worked out), each once a day. */
  async function sweepHouses(now: Date): Promise<void> {
    let after = "";
    for (;;) {
      const count = await db.$transaction(async (tx) => {
        const claimed = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT id FROM "House" WHERE id > ${after} AND ("nextMeetingsPostAt" IS NULL OR "nextMeetingsPostAt" <= ${now})
          ORDER BY id LIMIT ${BATCH} FOR NO KEY UPDATE SKIP LOCKED`;
        if (claimed.length === 0) return 0;
        const houses = await tx.house.findMany({ where: { id: { in: claimed.map((c) => c.id) } } });
        for (const house of houses) {
          if (house.houseChannelId) await postToday(tx, house, now);
          await tx.house.update({
            where: { id: house.id },
            data: { nextMeetingsPostAt: nextCheckinInstant(now, DAILY_POST_TIME, house.timezone).dueAt },
          });
        }
        after = claimed.at(-1)?.id ?? after;
        return claimed.length;
      });
      if (count < BATCH) return;
    }
  }

  return {
    async sweep(now: Date): Promise<void> {
      await sweepMeetings(now);
      await sweepHouses(now);
    },
  };
}
