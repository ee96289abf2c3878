import { addDays } from "./schedule.ts";

/**
 * A resident's last few days as one line of symbols. The symbols are plain Unicode that Discord,
 * Slack and terminals all draw at the same width without turning them into emoji, and none of
 * them is a markdown character, so the line needs no escaping.
 */

export type RecentDay = {
  localDate: string;
  status: "answered" | "missed" | "excused" | "pending" | "none";
  usedToday?: boolean | null;
};

const SYMBOL = {
  answered: "●",
  answeredWithUse: "◆",
  missed: "○",
  excused: "–",
  nothing: "·",
} as const;

export const RECENT_DAYS_LEGEND =
  `${SYMBOL.answered} checked in  ${SYMBOL.answeredWithUse} checked in, reported use  ` +
  `${SYMBOL.missed} missed  ${SYMBOL.excused} excused  ${SYMBOL.nothing} no check-in (yet)`;

function symbolFor(day: RecentDay | undefined): string {
  switch (day?.status) {
    case "answered":
      return day.usedToday === true ? SYMBOL.answeredWithUse : SYMBOL.answered;
    case "missed":
      return SYMBOL.missed;
    case "excused":
      return SYMBOL.excused;
    default:
      return SYMBOL.nothing;
  }
}

/** The `count` days ending with `today`, oldest first; a day with no entry shows as no check-in. */
export function recentDaysLine(days: readonly RecentDay[], today: string, count = 14): string {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Count must be a whole number of days: ${count}`);
  const byDate = new Map(days.map((day) => [day.localDate, day]));
  let line = "";
  for (let back = count - 1; back >= 0; back--) line += symbolFor(byDate.get(addDays(today, -back)));
  return line;
}
