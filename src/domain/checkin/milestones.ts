import { DateTime } from "luxon";
import { daysBetween } from "./schedule.ts";

/**
 * Sobriety milestones, counted from a streak's start date. Day milestones are whole calendar days
 * (the "24 hours" milestone is the day after the start). Month and year milestones are calendar
 * months added to the start with Luxon, which keeps the day of the month and clamps to the month's
 * end: 6 months after 2027-08-31 is 2028-02-29, 1 year after 2028-02-29 is 2029-02-28. Each
 * milestone is measured from the start, never from the previous milestone.
 */

export type Milestone = { key: string; label: string };

export type MilestoneRule = Milestone & { after: { days: number } | { months: number } };

/** The fixed milestones; after the last one, every whole year from 2 years on is a milestone too. */
export const MILESTONES: readonly MilestoneRule[] = [
  { key: "1d", label: "24 hours", after: { days: 1 } },
  { key: "30d", label: "30 days", after: { days: 30 } },
  { key: "60d", label: "60 days", after: { days: 60 } },
  { key: "90d", label: "90 days", after: { days: 90 } },
  { key: "6m", label: "6 months", after: { months: 6 } },
  { key: "9m", label: "9 months", after: { months: 9 } },
  { key: "1y", label: "1 year", after: { months: 12 } },
  { key: "18m", label: "18 months", after: { months: 18 } },
];

const FIRST_YEARLY = 2;

function ruleAt(index: number): MilestoneRule {
  const fixed = MILESTONES[index];
  if (fixed !== undefined) return fixed;
  const years = index - MILESTONES.length + FIRST_YEARLY;
  return { key: `${years}y`, label: `${years} years`, after: { months: 12 * years } };
}

function dateOf(streakStart: string, rule: MilestoneRule): string {
  const start = DateTime.fromISO(streakStart, { zone: "UTC" });
  const date = start.plus(rule.after).toISODate();
  if (!start.isValid || date === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(streakStart)}`);
  return date;
}

/** The milestone that falls exactly on `date` for a streak starting on `streakStart`, if any. */
export function milestoneReachedOn(streakStart: string, date: string): Milestone | null {
  if (daysBetween(streakStart, date) < 1) return null;
  for (let index = 0; ; index++) {
    const rule = ruleAt(index);
    const on = dateOf(streakStart, rule);
    if (on > date) return null;
    if (on === date) return { key: rule.key, label: rule.label };
  }
}

/** The first milestone strictly after `today` (today's own milestone is `milestoneReachedOn`'s). */
export function nextMilestone(streakStart: string, today: string): Milestone & { date: string; daysAway: number } {
  // Validates both dates up front; the loop below compares them as strings.
  daysBetween(streakStart, today);
  for (let index = 0; ; index++) {
    const rule = ruleAt(index);
    const date = dateOf(streakStart, rule);
    if (date > today) return { key: rule.key, label: rule.label, date, daysAway: daysBetween(today, date) };
  }
}
