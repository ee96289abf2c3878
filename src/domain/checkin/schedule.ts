import { IANAZone } from "luxon";

export { isValidZone, suggestZone } from "./zoneNames.ts";

/**
 * Check-in schedule math: a member's local wall-clock time in an IANA zone turned into UTC instants.
 *
 * Conventions shared by every function here:
 * - A local date is "YYYY-MM-DD" and a local time is "HH:MM" (24-hour).
 * - A local time that falls in a spring-forward gap fires at the first instant after the gap
 *   (Europe/London 01:30 on 2027-03-28 fires at 02:00 BST).
 * - A local time that occurs twice in a fall-back overlap fires once, at the earlier occurrence.
 * Luxon resolves both cases differently (it shifts gap times by the gap length and picks the later
 * overlap occurrence), so the resolution below is done by hand on top of Luxon's zone offsets.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

type CalendarDate = { year: number; month: number; day: number };

function parseLocalDate(localDate: string): CalendarDate {
  const match = LOCAL_DATE.exec(localDate);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const probe = new Date(Date.UTC(year, month - 1, day));
    // Date.UTC rolls 2027-02-30 over into March, so a round trip catches impossible dates.
    if (probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(localDate)}`);
}

function parseLocalTime(localTime: string): { hour: number; minute: number } {
  const match = LOCAL_TIME.exec(localTime);
  if (!match) throw new RangeError(`Not a local time (HH:MM, 00:00-23:59): ${JSON.stringify(localTime)}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

const zones = new Map<string, IANAZone>();

// Computation accepts any zone the runtime knows, even one `isValidZone` would refuse as new input,
// so that a stored zone always keeps working. Checking a name builds an Intl formatter, which is
// slow enough to matter in a sweep over every member, hence the cache.
function zoneOf(zone: string): IANAZone {
  let known = zones.get(zone);
  if (known === undefined) {
    if (!IANAZone.isValidZone(zone)) throw new RangeError(`Unknown time zone: ${JSON.stringify(zone)}`);
    known = IANAZone.create(zone);
    zones.set(zone, known);
  }
  return known;
}

/** The calendar date part of a wall-clock time encoded as if it were UTC. */
function formatDate(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 10);
}

function dateMs(localDate: string): number {
  const { year, month, day } = parseLocalDate(localDate);
  return Date.UTC(year, month - 1, day);
}

/**
 * The instant the zone's clock reads `wallMs` (a wall-clock time encoded as if it were UTC).
 *
 * Any such instant lies within 14 hours of `wallMs` (offsets run from UTC-12 to UTC+14). No tzdb zone
 * has changed its offset twice within two days, so the offsets a day either side (and at the wall
 * time itself) are every offset that could produce this wall time.
 */
function instantForWallTime(wallMs: number, zone: IANAZone): number {
  const offsetAt = (instant: number) => zone.offset(instant) * MINUTE_MS;
  const offsets = new Set([offsetAt(wallMs - DAY_MS), offsetAt(wallMs), offsetAt(wallMs + DAY_MS)]);

  let earliest: number | null = null;
  for (const offset of offsets) {
    const instant = wallMs - offset;
    if (offsetAt(instant) === offset && (earliest === null || instant < earliest)) earliest = instant;
  }
  if (earliest !== null) return earliest;

  // In a gap no instant shows this wall time; the wall clock jumps over it somewhere between these
  // two bounds, and the first instant whose wall time is at or past it is the end of the gap.
  const wallAt = (instant: number) => instant + offsetAt(instant);
  let before = wallMs - Math.max(...offsets);
  let after = wallMs - Math.min(...offsets);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallAt(middle) >= wallMs) after = middle;
    else before = middle;
  }
  return after;
}

/** The instant at which `localTime` is shown on `localDate` in `zone`, resolving gaps and overlaps as above. */
export function checkinInstantOn(localDate: string, localTime: string, zone: string): Date {
  const { year, month, day } = parseLocalDate(localDate);
  const { hour, minute } = parseLocalTime(localTime);
  return new Date(instantForWallTime(Date.UTC(year, month - 1, day, hour, minute), zoneOf(zone)));
}

/** The local calendar date in `zone` at `instant`. */
export function localDateOf(instant: Date, zone: string): string {
  const at = instant.getTime();
  if (Number.isNaN(at)) throw new RangeError("Not a valid instant");
  return formatDate(at + zoneOf(zone).offset(at) * MINUTE_MS);
}

/**
 * The first check-in strictly after `after`: the earliest local date whose check-in instant is
 * later than `after`, and that instant. `localDate` is the date the check-in belongs to, which is
 * the date the clock shows except when a gap pushes the time past midnight.
 */
export function nextCheckinInstant(after: Date, localTime: string, zone: string): { dueAt: Date; localDate: string } {
  parseLocalTime(localTime);
  // Starting a day early covers a previous day's check-in pushed past midnight by a gap; a few days
  // ahead covers an overlap at midnight and the one-off skipped calendar days some zones have had.
  let localDate = addDays(localDateOf(after, zone), -1);
  for (let attempt = 0; attempt < 5; attempt++) {
    const dueAt = checkinInstantOn(localDate, localTime, zone);
    if (dueAt.getTime() > after.getTime()) return { dueAt, localDate };
    localDate = addDays(localDate, 1);
  }
  throw new RangeError(`No check-in instant found after ${after.toISOString()} in ${zone}`);
}

/** The local date `n` calendar days from `localDate` (negative `n` goes back). */
export function addDays(localDate: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Days must be a whole number: ${n}`);
  return formatDate(dateMs(localDate) + n * DAY_MS);
}

/** Calendar days from `fromLocalDate` to `toLocalDate`: 0 for the same date, negative when `to` is earlier. */
export function daysBetween(fromLocalDate: string, toLocalDate: string): number {
  return Math.round((dateMs(toLocalDate) - dateMs(fromLocalDate)) / DAY_MS);
}

/**
 * When to remind and when the answer window closes, as elapsed minutes after the check-in is due
 * (a six-hour window is six real hours even across a DST change). When the reminder would not come
 * before the close, callers should not send it.
 */
export function checkinWindow(
  dueAt: Date,
  settings: { reminderAfterMinutes: number; windowMinutes: number },
): { remindAt: Date; closesAt: Date } {
  for (const minutes of [settings.reminderAfterMinutes, settings.windowMinutes]) {
    if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Minutes must be zero or more: ${minutes}`);
  }
  return {
    remindAt: new Date(dueAt.getTime() + settings.reminderAfterMinutes * MINUTE_MS),
    closesAt: new Date(dueAt.getTime() + settings.windowMinutes * MINUTE_MS),
  };
}
