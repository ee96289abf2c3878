import { nextMilestone } from "../checkin/milestones.ts";
import { addDays, daysBetween } from "../checkin/schedule.ts";
import { type SobrietyEvent, sobrietySummary } from "../checkin/streaks.ts";
import type { AlertFacts, AttendanceFacts, CheckinFacts, MemberStatusName } from "./facts.ts";
import { average } from "./format.ts";

/** How many days a resident summary covers, ending today. */
export const SUMMARY_DAYS = 28;
/** How many upcoming milestones a summary names. */
const MILESTONES_SHOWN = 2;

export type DayStatus = "answered" | "missed" | "excused" | "pending" | "none";

export interface ResidentSummaryInput {
  /** The resident's local date today, and their zone (for alert times). */
  today: string;
  zone: string;
  name: string;
  status: MemberStatusName;
  pausedUntil: string | null;
  /** Their effective check-in time, HH:MM. */
  checkinTime: string;
  keyCounsellor: string | null;
  /** In the order they were recorded. */
  sobrietyEvents: readonly SobrietyEvent[];
  checkins: readonly CheckinFacts[];
  attendance: readonly AttendanceFacts[];
  /** Their open alerts, and those resolved within the summary's days (the service picks them). */
  alerts: readonly AlertFacts[];
  /** Pairings they are part of, from their side. */
  pairings: ReadonlyArray<{ role: "newcomer" | "buddy"; other: string; status: "proposed" | "active"; plannedEndOn: string | null }>;
  cravingThreshold: number;
}

export interface SummaryDay {
  date: string;
  status: DayStatus;
  reportedUse: boolean;
  craving: number | null;
  mood: number | null;
  /** "went" answers that day. */
  meetingsWent: number;
  /** A meeting by either account: a "went" answer or a check-in "yes". */
  meetingDay: boolean;
}

export interface ResidentSummaryFigures {
  name: string;
  zone: string;
  today: string;
  from: string;
  status: { state: MemberStatusName; pausedUntil: string | null; checkinTime: string };
  /** Null when no sobriety date was ever set. */
  sobriety: { daysSober: number; totalSoberDays: number; lapses: number; lastLapse: string | null; streakStart: string | null } | null;
  milestones: Array<{ label: string; date: string; daysAway: number }>;
  /** SUMMARY_DAYS entries, oldest first, ending today. */
  days: SummaryDay[];
  counts: Record<DayStatus, number>;
  reportedUseDays: string[];
  craving: { average: number | null; highest: { value: number; date: string } | null; atOrAboveThreshold: number; threshold: number };
  mood: { average: number | null; lowest: { value: number; date: string } | null };
  meetings: { went: number; couldNot: number; meetingDays: number };
  alerts: { open: AlertFacts[]; recent: AlertFacts[] };
  pairings: ResidentSummaryInput["pairings"];
  keyCounsellor: string | null;
}

function extreme(days: readonly SummaryDay[], pick: (d: SummaryDay) => number | null, better: (a: number, b: number) => boolean) {
  let found: { value: number; date: string } | null = null;
  for (const day of days) {
    const value = pick(day);
    // The first day wins ties: the earliest time it happened.
    if (value !== null && (found === null || better(value, found.value))) found = { value, date: day.date };
  }
  return found;
}

/** The figures of a resident summary: the last SUMMARY_DAYS days ending `today`, and where they stand now. */
export function residentSummaryFigures(input: ResidentSummaryInput): ResidentSummaryFigures {
  const from = addDays(input.today, -(SUMMARY_DAYS - 1));
  const inWindow = (date: string) => date >= from && date <= input.today;
  const checkins = new Map(input.checkins.filter((c) => inWindow(c.localDate)).map((c) => [c.localDate, c]));
  const attendance = input.attendance.filter((a) => inWindow(a.localDate));

  const days: SummaryDay[] = [];
  for (let i = 0; i < SUMMARY_DAYS; i++) {
    const date = addDays(from, i);
    const checkin = checkins.get(date);
    const went = attendance.filter((a) => a.localDate === date && a.status === "went").length;
    days.push({
      date,
      status: checkin?.status ?? "none",
      reportedUse: checkin?.usedToday === true,
      craving: checkin?.craving ?? null,
      mood: checkin?.mood ?? null,
      meetingsWent: went,
      meetingDay: went > 0 || checkin?.meetingToday === true,
    });
  }

  const counts: Record<DayStatus, number> = { answered: 0, missed: 0, excused: 0, pending: 0, none: 0 };
  for (const day of days) counts[day.status] += 1;
  const cravings = days.flatMap((d) => (d.craving === null ? [] : [d.craving]));
  const moods = days.flatMap((d) => (d.mood === null ? [] : [d.mood]));

  const hasHistory = input.sobrietyEvents.some((e) => daysBetween(e.date, input.today) >= 0);
  const sober = sobrietySummary(input.sobrietyEvents, input.today);
  const milestones: ResidentSummaryFigures["milestones"] = [];
  if (sober.currentStreakStart !== null) {
    let after = input.today;
    while (milestones.length < MILESTONES_SHOWN) {
      const next = nextMilestone(sober.currentStreakStart, after);
      milestones.push({ label: next.label, date: next.date, daysAway: daysBetween(input.today, next.date) });
      after = next.date;
    }
  }

  return {
    name: input.name,
    zone: input.zone,
    today: input.today,
    from,
    status: { state: input.status, pausedUntil: input.pausedUntil, checkinTime: input.checkinTime },
    sobriety: hasHistory
      ? {
          daysSober: sober.daysSober,
          totalSoberDays: sober.totalSoberDays,
          lapses: sober.lapses,
          lastLapse: sober.lastLapse,
          streakStart: sober.currentStreakStart,
        }
      : null,
    milestones,
    days,
    counts,
    reportedUseDays: days.filter((d) => d.reportedUse).map((d) => d.date),
    craving: {
      average: average(cravings),
      highest: extreme(
        days,
        (d) => d.craving,
        (a, b) => a > b,
      ),
      atOrAboveThreshold: cravings.filter((c) => c >= input.cravingThreshold).length,
      threshold: input.cravingThreshold,
    },
    mood: {
      average: average(moods),
      lowest: extreme(
        days,
        (d) => d.mood,
        (a, b) => a < b,
      ),
    },
    meetings: {
      went: attendance.filter((a) => a.status === "went").length,
      couldNot: attendance.filter((a) => a.status === "could_not").length,
      meetingDays: days.filter((d) => d.meetingDay).length,
    },
    alerts: {
      open: input.alerts.filter((a) => a.state !== "resolved").sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
      recent: input.alerts.filter((a) => a.state === "resolved").sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()),
    },
    pairings: input.pairings,
    keyCounsellor: input.keyCounsellor,
  };
}
