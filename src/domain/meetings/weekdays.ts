/** Weekdays are numbered as the Meeting Guide spec and JavaScript do: 0 = Sunday … 6 = Saturday. */

export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** The weekday of a local date "YYYY-MM-DD"; a calendar date has the same weekday in every zone. */
export function weekdayOf(localDate: string): number {
  const [year, month, day] = localDate.split("-").map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1)).getUTCDay();
}

/** BMLT numbers days 1-7 with Sunday as 1. */
export function weekdayFromBmlt(day: number): number | null {
  return Number.isInteger(day) && day >= 1 && day <= 7 ? day - 1 : null;
}

const WORDS: Record<string, number[]> = {
  daily: [0, 1, 2, 3, 4, 5, 6],
  everyday: [0, 1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [0, 6],
};

/**
 * Days as a counsellor types them: "mon,thu", "Monday Thursday", "weekdays", "daily", or digits
 * 0-6. Returns the sorted, de-duplicated weekdays, or the word that could not be read.
 */
export function parseWeekdays(raw: string): { ok: true; weekdays: number[] } | { ok: false; unknown: string } {
  const found = new Set<number>();
  const words = raw
    .toLowerCase()
    .split(/[\s,;/+&]+|\band\b/)
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 0) return { ok: false, unknown: raw.slice(0, 20) };
  for (const word of words) {
    const named = WORDS[word];
    if (named) {
      for (const d of named) found.add(d);
      continue;
    }
    if (/^[0-6]$/.test(word)) {
      found.add(Number(word));
      continue;
    }
    const index = word.length >= 2 ? WEEKDAY_NAMES.findIndex((name) => name.toLowerCase().startsWith(word.replace(/s$/, ""))) : -1;
    if (index < 0) return { ok: false, unknown: word.slice(0, 20) };
    found.add(index);
  }
  return { ok: true, weekdays: [...found].sort((a, b) => a - b) };
}

/** "Mondays and Thursdays", "Every day", "Weekdays". */
export function describeWeekdays(weekdays: readonly number[]): string {
  const days = [...new Set(weekdays)].sort((a, b) => a - b);
  if (days.length === 7) return "Every day";
  if (days.join() === "1,2,3,4,5") return "Weekdays";
  if (days.join() === "0,6") return "Weekends";
  const names = days.map((d) => `${WEEKDAY_NAMES[d] ?? "?"}s`);
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
