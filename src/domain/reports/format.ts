import { DateTime } from "luxon";

/** Small, shared wording helpers for the counsellor views: short, factual, the same everywhere. */

/** "Mon 4 Jan" for a local date. */
export function dayLabel(localDate: string): string {
  return DateTime.fromISO(localDate, { zone: "UTC" }).toFormat("ccc d LLL");
}

/** "4 Jan" for a local date: chart axes. */
export function shortDayLabel(localDate: string): string {
  return DateTime.fromISO(localDate, { zone: "UTC" }).toFormat("d LLL");
}

/** "Mon 4 Jan, 21:14" for an instant in a zone. */
export function instantLabel(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("ccc d LLL, HH:mm");
}

/** The mean, to one decimal place; null for no values. */
export function average(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return Math.round((values.reduce((sum, v) => sum + v, 0) / values.length) * 10) / 10;
}

/** "3.4", or "none" where there were no answers. */
export function decimal(value: number | null): string {
  return value === null ? "none" : value.toFixed(1);
}

/** "up 0.4", "down 0.3" or "no change" from `before` to `after`; null when either is missing. */
export function change(before: number | null, after: number | null): string | null {
  if (before === null || after === null) return null;
  const delta = Math.round((after - before) * 10) / 10;
  if (delta === 0) return "no change";
  return `${delta > 0 ? "up" : "down"} ${Math.abs(delta).toFixed(1)}`;
}

/** "1 day", "3 days". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Names joined with commas, the first `max` of them, then "and N more". */
export function nameList(names: readonly string[], max = 20): string {
  if (names.length === 0) return "none";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** How long ago, roughly: "40 min", "26 h", "3 days". */
export function ageLabel(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.floor(hours)} h`;
  return `${Math.floor(hours / 24)} days`;
}
