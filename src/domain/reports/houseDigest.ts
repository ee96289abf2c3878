import { nextMilestone } from "../checkin/milestones.ts";
import { addDays } from "../checkin/schedule.ts";
import { type SobrietyEvent, sobrietySummary } from "../checkin/streaks.ts";
import type { AlertFacts, AttendanceFacts, CheckinFacts, MemberStatusName, PairingFacts } from "./facts.ts";
import { average } from "./format.ts";

/** The digest's charts and trends cover this many days, ending yesterday. */
export const DIGEST_TREND_DAYS = 14;
/** "This week": milestones and pairing ends from the digest's day through the next six. */
export const DIGEST_WEEK_DAYS = 7;

const HOUR_MS = 3_600_000;

export interface DigestResident {
  id: string;
  name: string;
  status: MemberStatusName;
  /** In the order they were recorded. */
  sobrietyEvents: readonly SobrietyEvent[];
}

export interface HouseDigestInput {
  /** The house-local date the digest is for (the morning it is sent); it reports on the day before. */
  date: string;
  /** When it is made: alert ages are counted to here. */
  now: Date;
  houseName: string;
  zone: string;
  cravingThreshold: number;
  /** Residents who are taking part (active or paused), and anyone else with a check-in in the trend days. */
  residents: readonly DigestResident[];
  checkins: ReadonlyArray<CheckinFacts & { memberId: string }>;
  attendance: ReadonlyArray<AttendanceFacts & { memberId: string }>;
  /** Alerts still open or acknowledged. */
  alerts: readonly AlertFacts[];
  pairings: readonly PairingFacts[];
}

export interface DigestDay {
  date: string;
  answered: number;
  missed: number;
  excused: number;
  pending: number;
  cravingAverage: number | null;
  moodAverage: number | null;
  meetingsWent: number;
}

export interface AveragePair {
  yesterday: number | null;
  last7: number | null;
  previous7: number | null;
}

export interface HouseDigestFigures {
  houseName: string;
  zone: string;
  date: string;
  yesterday: string;
  residentCount: number;
  /** Names, alphabetical, by how yesterday's check-in ended. */
  checkins: { answered: string[]; missed: string[]; excused: string[]; pending: string[]; notDue: string[] };
  reportedUse: string[];
  highCraving: string[];
  alerts: {
    total: number;
    open: number;
    acknowledged: number;
    byAge: { underADay: number; oneToThreeDays: number; overThreeDays: number };
    /** Oldest first, with their age in hours. */
    list: Array<AlertFacts & { ageHours: number }>;
  };
  trend: { days: DigestDay[]; craving: AveragePair; mood: AveragePair; threshold: number };
  meetings: { yesterday: { went: number; couldNot: number; excused: number }; last7Went: number };
  pairings: { started: PairingFacts[]; ended: PairingFacts[]; endingThisWeek: PairingFacts[]; awaitingApproval: PairingFacts[] };
  /** Milestones from the digest's day through the next six days, soonest first. */
  milestones: Array<{ name: string; label: string; date: string }>;
}

const byName = (a: string, b: string) => a.localeCompare(b, "en", { sensitivity: "base" });

/** The mean of one answer over the check-ins dated `from` to `to`, both included. */
function averagesOver(checkins: readonly CheckinFacts[], from: string, to: string, pick: (c: CheckinFacts) => number | null) {
  const values: number[] = [];
  for (const checkin of checkins) {
    const value = pick(checkin);
    if (checkin.localDate >= from && checkin.localDate <= to && value !== null) values.push(value);
  }
  return average(values);
}

/** The figures of the morning digest for `input.date`: yesterday's check-ins and the state of the house. */
export function houseDigestFigures(input: HouseDigestInput): HouseDigestFigures {
  const yesterday = addDays(input.date, -1);
  const names = new Map(input.residents.map((r) => [r.id, r.name]));
  const nameOf = (memberId: string) => names.get(memberId) ?? "a former resident";

  const ofYesterday = input.checkins.filter((c) => c.localDate === yesterday);
  const named = (status: CheckinFacts["status"]) =>
    ofYesterday
      .filter((c) => c.status === status)
      .map((c) => nameOf(c.memberId))
      .sort(byName);
  const withRow = new Set(ofYesterday.map((c) => c.memberId));
  const taking = input.residents.filter((r) => r.status === "active" || r.status === "paused");

  const trendFrom = addDays(yesterday, -(DIGEST_TREND_DAYS - 1));
  const days: DigestDay[] = [];
  for (let i = 0; i < DIGEST_TREND_DAYS; i++) {
    const date = addDays(trendFrom, i);
    const rows = input.checkins.filter((c) => c.localDate === date);
    const count = (status: CheckinFacts["status"]) => rows.filter((c) => c.status === status).length;
    days.push({
      date,
      answered: count("answered"),
      missed: count("missed"),
      excused: count("excused"),
      pending: count("pending"),
      cravingAverage: averagesOver(rows, date, date, (c) => c.craving),
      moodAverage: averagesOver(rows, date, date, (c) => c.mood),
      meetingsWent: input.attendance.filter((a) => a.localDate === date && a.status === "went").length,
    });
  }
  const weekFrom = addDays(yesterday, -6);
  const previousFrom = addDays(yesterday, -13);
  const previousTo = addDays(yesterday, -7);
  const pair = (pick: (c: CheckinFacts) => number | null): AveragePair => ({
    yesterday: averagesOver(input.checkins, yesterday, yesterday, pick),
    last7: averagesOver(input.checkins, weekFrom, yesterday, pick),
    previous7: averagesOver(input.checkins, previousFrom, previousTo, pick),
  });

  const alertList = input.alerts
    .filter((a) => a.state !== "resolved")
    .map((a) => ({ ...a, ageHours: Math.max(0, (input.now.getTime() - a.createdAt.getTime()) / HOUR_MS) }))
    .sort((a, b) => b.ageHours - a.ageHours);

  const attendedYesterday = input.attendance.filter((a) => a.localDate === yesterday);
  const weekEnd = addDays(input.date, DIGEST_WEEK_DAYS - 1);

  const milestones: HouseDigestFigures["milestones"] = [];
  for (const resident of taking) {
    const start = sobrietySummary(resident.sobrietyEvents, input.date).currentStreakStart;
    if (start === null) continue;
    let next = nextMilestone(start, yesterday);
    while (next.date <= weekEnd) {
      milestones.push({ name: resident.name, label: next.label, date: next.date });
      next = nextMilestone(start, next.date);
    }
  }
  milestones.sort((a, b) => (a.date === b.date ? byName(a.name, b.name) : a.date < b.date ? -1 : 1));

  return {
    houseName: input.houseName,
    zone: input.zone,
    date: input.date,
    yesterday,
    residentCount: taking.length,
    checkins: {
      answered: named("answered"),
      missed: named("missed"),
      excused: named("excused"),
      pending: named("pending"),
      notDue: taking
        .filter((r) => !withRow.has(r.id))
        .map((r) => r.name)
        .sort(byName),
    },
    reportedUse: ofYesterday
      .filter((c) => c.usedToday === true)
      .map((c) => nameOf(c.memberId))
      .sort(byName),
    highCraving: ofYesterday
      .filter((c) => c.craving !== null && c.craving >= input.cravingThreshold)
      .map((c) => nameOf(c.memberId))
      .sort(byName),
    alerts: {
      total: alertList.length,
      open: alertList.filter((a) => a.state === "open").length,
      acknowledged: alertList.filter((a) => a.state === "acknowledged").length,
      byAge: {
        underADay: alertList.filter((a) => a.ageHours < 24).length,
        oneToThreeDays: alertList.filter((a) => a.ageHours >= 24 && a.ageHours < 72).length,
        overThreeDays: alertList.filter((a) => a.ageHours >= 72).length,
      },
      list: alertList,
    },
    trend: { days, craving: pair((c) => c.craving), mood: pair((c) => c.mood), threshold: input.cravingThreshold },
    meetings: {
      yesterday: {
        went: attendedYesterday.filter((a) => a.status === "went").length,
        couldNot: attendedYesterday.filter((a) => a.status === "could_not").length,
        excused: attendedYesterday.filter((a) => a.status === "excused").length,
      },
      last7Went: input.attendance.filter((a) => a.localDate >= weekFrom && a.localDate <= yesterday && a.status === "went").length,
    },
    pairings: {
      started: input.pairings.filter((p) => p.startedOn === yesterday && (p.status === "active" || p.status === "ended")),
      ended: input.pairings.filter((p) => p.status === "ended" && p.endedOn === yesterday),
      endingThisWeek: input.pairings.filter(
        (p) => p.status === "active" && p.plannedEndOn !== null && p.plannedEndOn >= input.date && p.plannedEndOn <= weekEnd,
      ),
      awaitingApproval: input.pairings.filter((p) => p.status === "proposed"),
    },
    milestones,
  };
}
