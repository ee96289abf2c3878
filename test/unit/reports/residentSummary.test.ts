import { describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/checkin/schedule.ts";
import {
  type CheckinFacts,
  type ResidentSummaryInput,
  residentSummaryFigures,
  SUMMARY_DAYS,
  summaryText,
} from "../../../src/domain/reports/index.ts";

const TODAY = "2027-02-10";
const day = (back: number) => addDays(TODAY, -back);

function checkin(back: number, patch: Partial<CheckinFacts> = {}): CheckinFacts {
  return { localDate: day(back), status: "answered", usedToday: false, craving: 2, mood: 4, meetingToday: false, ...patch };
}

function input(patch: Partial<ResidentSummaryInput> = {}): ResidentSummaryInput {
  return {
    today: TODAY,
    zone: "Europe/London",
    name: "amy",
    status: "active",
    pausedUntil: null,
    checkinTime: "20:00",
    keyCounsellor: "jo",
    sobrietyEvents: [
      { kind: "date_set", date: "2026-11-01" },
      { kind: "lapse", date: day(10) },
      { kind: "recommitment", date: day(9) },
    ],
    checkins: [
      checkin(0, { status: "pending", craving: null, mood: null, meetingToday: null }),
      checkin(1, { craving: 9, mood: 1 }),
      checkin(2, { craving: 4, mood: 3, meetingToday: true }),
      checkin(3, { status: "missed", craving: null, mood: null, meetingToday: null }),
      checkin(4, { status: "excused", craving: null, mood: null, meetingToday: null }),
      checkin(10, { craving: 8, mood: 2, usedToday: true }),
      // Outside the 28 days: never counted.
      checkin(28, { craving: 10, mood: 1, usedToday: true }),
    ],
    attendance: [
      { localDate: day(2), status: "went" },
      { localDate: day(5), status: "went" },
      { localDate: day(5), status: "went" },
      { localDate: day(6), status: "could_not" },
      { localDate: day(40), status: "went" },
    ],
    alerts: [
      {
        subject: "amy",
        what: "High craving",
        severity: "medium",
        state: "acknowledged",
        createdAt: new Date("2027-02-09T20:10:00Z"),
        acknowledgedBy: "jo",
        acknowledgedAt: new Date("2027-02-09T20:20:00Z"),
        resolvedAt: null,
      },
      {
        subject: "amy",
        what: "Reported use today",
        severity: "high",
        state: "resolved",
        createdAt: new Date("2027-01-31T20:05:00Z"),
        acknowledgedBy: "jo",
        acknowledgedAt: new Date("2027-01-31T20:15:00Z"),
        resolvedAt: new Date("2027-01-31T22:00:00Z"),
      },
    ],
    pairings: [{ role: "newcomer", other: "bo", status: "active", plannedEndOn: "2027-03-01" }],
    cravingThreshold: 8,
    ...patch,
  };
}

describe("resident summary figures", () => {
  const f = residentSummaryFigures(input());

  it("covers 28 days ending today, one entry a day, oldest first", () => {
    expect(f.days).toHaveLength(SUMMARY_DAYS);
    expect(f.from).toBe("2027-01-14");
    expect(f.days[0]?.date).toBe("2027-01-14");
    expect(f.days.at(-1)?.date).toBe(TODAY);
  });

  it("counts the days by how their check-in ended, and leaves out what is older", () => {
    expect(f.counts).toEqual({ answered: 3, missed: 1, excused: 1, pending: 1, none: 22 });
    expect(f.reportedUseDays).toEqual([day(10)]);
  });

  it("averages craving and mood over the answers given, naming the extremes and their day", () => {
    expect(f.craving).toEqual({ average: 7, highest: { value: 9, date: day(1) }, atOrAboveThreshold: 2, threshold: 8 });
    expect(f.mood).toEqual({ average: 2, lowest: { value: 1, date: day(1) } });
  });

  it("counts meetings from attendance answers and check-in answers without counting a day twice", () => {
    expect(f.meetings).toEqual({ went: 3, couldNot: 1, meetingDays: 2 });
    expect(f.days.find((d) => d.date === day(5))?.meetingsWent).toBe(2);
  });

  it("takes days sober, total and lapses from the sobriety history, and the next two milestones", () => {
    expect(f.sobriety).toEqual({ daysSober: 9, totalSoberDays: 91 + 9, lapses: 1, lastLapse: day(10), streakStart: day(9) });
    expect(f.milestones).toEqual([
      { label: "30 days", date: addDays(day(9), 30), daysAway: 21 },
      { label: "60 days", date: addDays(day(9), 60), daysAway: 51 },
    ]);
  });

  it("separates open alerts from recently resolved ones", () => {
    expect(f.alerts.open.map((a) => a.what)).toEqual(["High craving"]);
    expect(f.alerts.recent.map((a) => a.what)).toEqual(["Reported use today"]);
  });

  it("has no sobriety figures or milestones when no date was ever set", () => {
    const none = residentSummaryFigures(input({ sobrietyEvents: [] }));
    expect(none.sobriety).toBeNull();
    expect(none.milestones).toEqual([]);
  });
});

describe("resident summary text", () => {
  const f = residentSummaryFigures(input());

  it("carries the key figures a counsellor scans for", () => {
    const view = summaryText(f, { regulated: false });
    expect(view.title).toBe("amy: resident summary");
    expect(view.text).toContain("Taking part: check-in at 20:00 each day");
    expect(view.text).toContain("Days sober: 9 (since Mon 1 Feb) · total sober days: 100 · lapses: 1, last on Sun 31 Jan");
    expect(view.text).toContain(
      "Last 28 days (Thu 14 Jan to Wed 10 Feb): 3 checked in, 1 missed, 1 excused, 22 with no check-in, 1 still open",
    );
    expect(view.text).toContain("Craving: average 7.0 · highest 9 on Tue 9 Feb · 2 days at or above 8");
    expect(view.text).toContain("Mood: average 2.0 · lowest 1 on Tue 9 Feb");
    expect(view.text).toContain("Reported use: 1 day (Sun 31 Jan)");
    expect(view.text).toContain('Meetings: a meeting on 2 of 28 days · 3 "went" answers, 1 "could not go"');
    expect(view.text).toMatch(/Days: [·●◆○–]{28}\n/);
    const fields = Object.fromEntries(view.fields.map((x) => [x.label, x.value]));
    expect(fields["Open alerts (1)"]).toBe("High craving · medium · acknowledged by jo · since Tue 9 Feb, 20:10");
    expect(fields["Resolved in the last 28 days (1)"]).toBe("Reported use today · high · resolved · raised Sun 31 Jan, 20:05");
    expect(fields.Buddy).toBe("bo, until Mon 1 Mar");
    expect(fields["Key counsellor"]).toBe("jo");
    expect(fields["Next milestones"]).toBe("30 days on Wed 3 Mar (in 21 days); 60 days on Fri 2 Apr (in 51 days)");
    expect(view.altText).toContain("Craving line: average 7.0, highest 9");
    expect(view.altText).toContain("3 check-ins, 1 missed, 1 excused, 1 day with reported use");
  });

  it("in regulated mode shows statuses and counts, and no answer values, sobriety history or alert reasons", () => {
    const view = summaryText(f, { regulated: true });
    const all = [view.title, view.text, ...view.fields.flatMap((x) => [x.label, x.value]), view.altText].join("\n");
    expect(all).toContain("3 checked in, 1 missed, 1 excused");
    expect(all).toContain("Regulated mode");
    for (const hidden of [
      "Craving",
      "craving",
      "Mood",
      "mood",
      "Days sober",
      "sober",
      "lapse",
      "Reported use",
      "High craving",
      "◆",
      "milestone",
      "30 days",
    ]) {
      expect(all).not.toContain(hidden);
    }
    expect(Object.fromEntries(view.fields.map((x) => [x.label, x.value]))["Open alerts (1)"]).toBe(
      "medium · acknowledged by jo · since Tue 9 Feb, 20:10",
    );
  });
});
