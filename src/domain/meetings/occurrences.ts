import { addDays, checkinInstantOn, localDateOf } from "../checkin/schedule.ts";
import type { WeeklySchedule } from "./meeting.ts";
import { weekdayOf } from "./weekdays.ts";

/**
 * When a weekly meeting happens. A meeting is held at its local time on its weekdays in its own
 * zone, so the UTC instant moves with daylight saving; the resolution of gap and overlap times
 * is the check-in schedule's (a time in a spring-forward gap starts when the gap ends, a time in
 * a fall-back overlap starts at its first occurrence). A meeting's length is elapsed time.
 */

export interface Occurrence {
  /** The meeting's local date in its own zone: with the meeting, it names the occurrence. */
  localDate: string;
  startsAt: Date;
  endsAt: Date;
}

const MINUTE_MS = 60_000;

/** The occurrence on a local date, or null when the meeting is not held that weekday. */
export function occurrenceOn(schedule: WeeklySchedule, localDate: string): Occurrence | null {
  if (!schedule.weekdays.includes(weekdayOf(localDate))) return null;
  const startsAt = checkinInstantOn(localDate, schedule.startTime, schedule.timezone);
  return { localDate, startsAt, endsAt: new Date(startsAt.getTime() + schedule.durationMinutes * MINUTE_MS) };
}

/** Occurrences starting at or after `from` and before `to`, earliest first. */
export function occurrencesBetween(schedule: WeeklySchedule, from: Date, to: Date): Occurrence[] {
  if (to.getTime() <= from.getTime() || schedule.weekdays.length === 0) return [];
  const found: Occurrence[] = [];
  // A day either side: a local date's start can sit on the neighbouring UTC day.
  const last = addDays(localDateOf(to, schedule.timezone), 1);
  for (let date = addDays(localDateOf(from, schedule.timezone), -1); date <= last; date = addDays(date, 1)) {
    const occurrence = occurrenceOn(schedule, date);
    if (occurrence && occurrence.startsAt >= from && occurrence.startsAt < to) found.push(occurrence);
  }
  return found;
}

/** The next `count` occurrences starting at or after `from`. */
export function nextOccurrences(schedule: WeeklySchedule, from: Date, count: number): Occurrence[] {
  if (schedule.weekdays.length === 0 || count <= 0) return [];
  const found: Occurrence[] = [];
  for (let week = 0; found.length < count && week < 520; week++) {
    const start = new Date(from.getTime() + week * 7 * 24 * 60 * MINUTE_MS);
    const end = new Date(start.getTime() + 7 * 24 * 60 * MINUTE_MS);
    found.push(...occurrencesBetween(schedule, start, end));
  }
  return found.slice(0, count);
}

/** The Monday on or before a local date: weeks in attendance reports run Monday to Sunday. */
export function weekStartOf(localDate: string): string {
  return addDays(localDate, -((weekdayOf(localDate) + 6) % 7));
}
