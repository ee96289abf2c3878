import { daysBetween } from "./schedule.ts";

export { MILESTONES, milestoneReachedOn, nextMilestone } from "./milestones.ts";
export { RECENT_DAYS_LEGEND, recentDaysLine } from "./recentDays.ts";

/**
 * A resident's sobriety history, summarised from events that are only ever appended.
 *
 * Counting convention: a sober day is a completed day. A streak that starts on S has
 * daysBetween(S, today) days today: 0 on S itself, 1 the next day. A streak that a lapse on D ends
 * counts daysBetween(S, D) days, S up to the day before D; D itself is never sober. The total is the
 * number of distinct dates covered by any streak, before today, that are not lapse dates. So a
 * recommitment on the day of the lapse starts a streak that day (daysSober counts from it), while
 * the lapse day itself still stays out of the total.
 */

export type SobrietyEvent = { kind: "date_set" | "lapse" | "recommitment"; date: string };

export type SobrietySummary = {
  /** Start of the streak running today, or null after a lapse until a recommitment. */
  currentStreakStart: string | null;
  daysSober: number;
  totalSoberDays: number;
  /** Distinct dates with a lapse; two reports of the same day count once. */
  lapses: number;
  lastLapse: string | null;
};

type Range = { start: string; end: string };

/**
 * Events are applied in the order given, which must be the order they were recorded (oldest
 * first): a later `date_set` corrects an earlier one even when it names an earlier date. Events
 * dated after `today` are ignored, so a summary only reflects what has happened by then.
 *
 * - `date_set` on S: the current streak starts on S. If a streak was running, this corrects its
 *   start and the old start's days are not counted.
 * - `lapse` on D: ends the running streak (when D is on or after its start). A lapse reported for a
 *   date before the running streak began is still counted but does not end it.
 * - `recommitment` on R: a new streak starts on R. A streak still running (no lapse was reported)
 *   keeps its days up to the day before R; nothing that was not reported is assumed.
 */
export function sobrietySummary(events: readonly SobrietyEvent[], today: string): SobrietySummary {
  const ended: Range[] = [];
  const lapseDates = new Set<string>();
  let running: string | null = null;

  for (const event of events) {
    if (daysBetween(event.date, today) < 0) continue;
    switch (event.kind) {
      case "date_set":
        running = event.date;
        break;
      case "lapse":
        lapseDates.add(event.date);
        if (running !== null && daysBetween(running, event.date) >= 0) {
          ended.push({ start: running, end: event.date });
          running = null;
        }
        break;
      case "recommitment":
        if (running !== null && daysBetween(running, event.date) > 0) ended.push({ start: running, end: event.date });
        running = event.date;
        break;
    }
  }

  const ranges = running === null ? ended : [...ended, { start: running, end: today }];
  const lastLapse = [...lapseDates].sort().at(-1) ?? null;
  return {
    currentStreakStart: running,
    daysSober: running === null ? 0 : daysBetween(running, today),
    totalSoberDays: soberDaysIn(ranges, lapseDates),
    lapses: lapseDates.size,
    lastLapse,
  };
}

/** Distinct dates in the half-open ranges [start, end), less lapse dates; overlapping ranges count once. */
function soberDaysIn(ranges: readonly Range[], lapseDates: ReadonlySet<string>): number {
  const sorted = ranges.filter((range) => range.start < range.end).sort((a, b) => (a.start < b.start ? -1 : 1));
  const merged: Range[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.start <= last.end) {
      if (range.end > last.end) last.end = range.end;
    } else {
      merged.push({ ...range });
    }
  }
  let total = 0;
  for (const range of merged) {
    total += daysBetween(range.start, range.end);
    for (const lapse of lapseDates) {
      if (lapse >= range.start && lapse < range.end) total -= 1;
    }
  }
  return total;
}
