/**
 * Local wall-clock times as feeds write them. Meeting Guide says "HH:MM"; BMLT says "HH:MM:SS";
 * hand-written feeds drop the leading zero. All of them become "HH:MM", and anything that is not
 * a real time of day (25:00, 19:60) is refused rather than guessed at.
 */

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** "7:30", "07:30" or "07:30:00" → "07:30"; null for anything else, including "24:00". */
export function normaliseClockTime(raw: string): string | null {
  const match = CLOCK.exec(raw.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = match[3] === undefined ? 0 : Number(match[3]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

export function minutesOfDay(time: string): number {
  const [hour, minute] = time.split(":").map(Number);
  return (hour ?? 0) * 60 + (minute ?? 0);
}

/**
 * Minutes from a start to an end time on the clock. An end at or before the start means the
 * meeting runs past midnight; "24:00" is accepted as an end, as some feeds write midnight that way.
 */
export function minutesBetweenClockTimes(start: string, endRaw: string): number | null {
  const end = endRaw.trim() === "24:00" || endRaw.trim() === "24:00:00" ? "00:00" : normaliseClockTime(endRaw);
  if (end === null) return null;
  const difference = minutesOfDay(end) - minutesOfDay(start);
  return difference > 0 ? difference : difference + 24 * 60;
}

/** "01:30:00" or "1:30" as a length of time (BMLT's duration_time) → minutes; null when unreadable. */
export function durationToMinutes(raw: string): number | null {
  const match = CLOCK.exec(raw.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59) return null;
  return hours * 60 + minutes;
}
