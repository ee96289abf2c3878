import { describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/checkin/schedule.ts";
import {
  type CheckinFacts,
  DIGEST_TREND_DAYS,
  digestText,
  type HouseDigestInput,
  houseDigestFigures,
} from "../../../src/domain/reports/index.ts";

const DATE = "2027-02-10";
const YESTERDAY = "2027-02-09";
const back = (n: number) => addDays(YESTERDAY, -n);
const NOW = new Date("2027-02-10T08:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

function row(memberId: string, daysBack: number, patch: Partial<CheckinFacts> = {}): CheckinFacts & { memberId: string } {
  return { memberId, localDate: back(daysBack), status: "answered", usedToday: false, craving: 2, mood: 4, meetingToday: false, ...patch };
}

const input: HouseDigestInput = {
  date: DATE,
  now: NOW,
  houseName: "Oak House",
  zone: "Europe/London",
  cravingThreshold: 8,
  residents: [
    { id: "a", name: "amy", status: "active", sobrietyEvents: [{ kind: "date_set", date: addDays(DATE, -28) }] },
    { id: "b", name: "bo", status: "active", sobrietyEvents: [{ kind: "date_set", date: addDays(DATE, -85) }] },
    { id: "c", name: "cy", status: "active", sobrietyEvents: [] },
    { id: "d", name: "dee", status: "paused", sobrietyEvents: [{ kind: "date_set", date: "2025-01-01" }] },
    { id: "e", name: "eli", status: "active", sobrietyEvents: [] },
    { id: "x", name: "xan", status: "discharged", sobrietyEvents: [{ kind: "date_set", date: addDays(DATE, -29) }] },
  ],
  checkins: [
    // Yesterday: amy and bo answered, cy missed, eli excused, dee paused (no row).
    row("a", 0, { craving: 9, mood: 2, usedToday: true }),
    row("b", 0, { craving: 3, mood: 4 }),
    row("c", 0, { status: "missed", craving: null, mood: null }),
    row("e", 0, { status: "excused", craving: null, mood: null }),
    // The rest of the last 7 days.
    row("a", 3, { craving: 4, mood: 3 }),
    row("b", 6, { craving: 2, mood: 5 }),
    // The 7 days before.
    row("a", 7, { craving: 1, mood: 4 }),
    row("b", 13, { craving: 3, mood: 4 }),
    row("x", 10, { craving: 5, mood: 2 }),
    // Older than the trend: ignored.
    row("a", 14, { craving: 10, mood: 1 }),
  ],
  attendance: [
    { memberId: "a", localDate: back(0), status: "went" },
    { memberId: "b", localDate: back(0), status: "went" },
    { memberId: "c", localDate: back(0), status: "could_not" },
    { memberId: "a", localDate: back(4), status: "went" },
    { memberId: "a", localDate: back(9), status: "went" },
  ],
  alerts: [
    {
      subject: "cy",
      what: "Missed check-ins",
      severity: "medium",
      state: "open",
      createdAt: hoursAgo(30),
      acknowledgedBy: null,
      acknowledgedAt: null,
      resolvedAt: null,
    },
    {
      subject: "amy",
      what: "Reported use today",
      severity: "high",
      state: "acknowledged",
      createdAt: hoursAgo(11),
      acknowledgedBy: "jo",
      acknowledgedAt: hoursAgo(10),
      resolvedAt: null,
    },
    {
      subject: "bo",
      what: "High craving",
      severity: "medium",
      state: "open",
      createdAt: hoursAgo(100),
      acknowledgedBy: null,
      acknowledgedAt: null,
      resolvedAt: null,
    },
  ],
  pairings: [
    { newcomer: "amy", buddy: "bo", status: "active", startedOn: YESTERDAY, plannedEndOn: "2027-03-11", endedOn: null, endReason: null },
    {
      newcomer: "cy",
      buddy: "dee",
      status: "ended",
      startedOn: "2027-01-01",
      plannedEndOn: "2027-01-31",
      endedOn: YESTERDAY,
      endReason: "planned_end",
    },
    { newcomer: "eli", buddy: "bo", status: "active", startedOn: "2027-01-14", plannedEndOn: "2027-02-13", endedOn: null, endReason: null },
    { newcomer: "eli", buddy: "amy", status: "proposed", startedOn: null, plannedEndOn: null, endedOn: null, endReason: null },
    {
      newcomer: "xan",
      buddy: "bo",
      status: "ended",
      startedOn: "2026-12-01",
      plannedEndOn: "2026-12-31",
      endedOn: "2027-01-02",
      endReason: "discharge",
    },
  ],
};

describe("house digest figures", () => {
  const f = houseDigestFigures(input);

  it("sorts yesterday's residents by how their check-in ended, and names who was not due", () => {
    expect(f.yesterday).toBe(YESTERDAY);
    expect(f.residentCount).toBe(5);
    expect(f.checkins).toEqual({ answered: ["amy", "bo"], missed: ["cy"], excused: ["eli"], pending: [], notDue: ["dee"] });
    expect(f.reportedUse).toEqual(["amy"]);
    expect(f.highCraving).toEqual(["amy"]);
  });

  it("counts open alerts by state and age, oldest first", () => {
    expect(f.alerts).toMatchObject({ total: 3, open: 2, acknowledged: 1, byAge: { underADay: 1, oneToThreeDays: 1, overThreeDays: 1 } });
    expect(f.alerts.list.map((a) => [a.subject, Math.round(a.ageHours)])).toEqual([
      ["bo", 100],
      ["cy", 30],
      ["amy", 11],
    ]);
  });

  it("averages the house's craving and mood for yesterday, the last 7 days and the 7 before", () => {
    expect(f.trend.craving).toEqual({ yesterday: 6, last7: 4.5, previous7: 3 });
    expect(f.trend.mood).toEqual({ yesterday: 3, last7: 3.5, previous7: 3.3 });
    expect(f.trend.days).toHaveLength(DIGEST_TREND_DAYS);
    expect(f.trend.days.at(-1)).toEqual({
      date: YESTERDAY,
      answered: 2,
      missed: 1,
      excused: 1,
      pending: 0,
      cravingAverage: 6,
      moodAverage: 3,
      meetingsWent: 2,
    });
    expect(f.trend.days[0]?.date).toBe(back(13));
  });

  it("counts meeting attendance yesterday and over the week", () => {
    expect(f.meetings).toEqual({ yesterday: { went: 2, couldNot: 1, excused: 0 }, last7Went: 3 });
  });

  it("lists new, ended, ending and proposed pairings", () => {
    expect(f.pairings.started.map((p) => p.newcomer)).toEqual(["amy"]);
    expect(f.pairings.ended.map((p) => p.newcomer)).toEqual(["cy"]);
    expect(f.pairings.endingThisWeek.map((p) => p.newcomer)).toEqual(["eli"]);
    expect(f.pairings.awaitingApproval.map((p) => p.buddy)).toEqual(["amy"]);
  });

  it("finds the milestones from today through the next six days, for residents taking part", () => {
    // amy reaches 30 days in 2 days, bo 90 days in 5; xan has left, dee's next is years away.
    expect(f.milestones).toEqual([
      { name: "amy", label: "30 days", date: addDays(DATE, 2) },
      { name: "bo", label: "90 days", date: addDays(DATE, 5) },
    ]);
  });
});

describe("house digest text", () => {
  const f = houseDigestFigures(input);
  const all = (view: ReturnType<typeof digestText>) =>
    [view.title, view.text, ...view.fields.flatMap((x) => [x.label, x.value]), view.altText].join("\n");

  it("gives counsellors the figures and the names", () => {
    const view = digestText(f, { kind: "counsellor", regulated: false });
    expect(view.title).toBe("Oak House digest · Wed 10 Feb");
    expect(view.text).toContain("Check-ins for Tue 9 Feb: 2 checked in, 1 missed, 1 excused, 1 not due (5 residents)");
    expect(view.text).toContain("Open alerts: 3 (2 open, 1 acknowledged) · 1 under a day, 1 for 1-3 days, 1 over 3 days");
    expect(view.text).toContain("House craving average: 6.0 yesterday · 4.5 over 7 days (up 1.5 on the week before, 3.0)");
    expect(view.text).toContain("House mood average: 3.0 yesterday · 3.5 over 7 days (up 0.2 on the week before, 3.3)");
    expect(view.text).toContain("Meetings: 2 went yesterday, 1 could not go · 3 in the last 7 days");
    expect(view.text).toContain("Pairings: 1 new, 1 ended, 1 ending this week, 1 waiting for approval");
    expect(view.text).toContain("Milestones this week: 2");
    const fields = Object.fromEntries(view.fields.map((x) => [x.label, x.value]));
    expect(fields).toMatchObject({
      "Checked in (2)": "amy, bo",
      "Missed (1)": "cy",
      "Excused (1)": "eli",
      "Not due: paused or new (1)": "dee",
      "Reported use yesterday": "amy",
      "Craving 8 or more yesterday": "amy",
      "Open alerts, oldest first":
        "bo: High craving · medium · open · 4 days\ncy: Missed check-ins · medium · open · 30 h\namy: Reported use today · high · acknowledged by jo · 11 h",
      Pairings:
        "New: amy with bo, until Thu 11 Mar\nEnded: cy with dee (planned end)\nEnding: eli with bo on Sat 13 Feb\nWaiting for approval: eli with amy",
      "Milestones this week": "amy: 30 days on Fri 12 Feb\nbo: 90 days on Mon 15 Feb",
    });
  });

  it("in regulated mode keeps names and statuses but no answer values", () => {
    const text = all(digestText(f, { kind: "counsellor", regulated: true }));
    expect(text).toContain("Checked in (2)");
    expect(text).toContain("cy: medium · open · 30 h");
    for (const hidden of ["craving", "Craving", "mood", "Mood", "Reported use", "High craving", "30 days", "90 days"]) {
      expect(text).not.toContain(hidden);
    }
  });

  it("gives the staff channel counts only: no one's name, no answers", () => {
    const view = digestText(f, { kind: "staffChannel" });
    expect(view.fields).toEqual([]);
    const text = all(view);
    expect(text).toContain("2 checked in, 1 missed, 1 excused");
    for (const name of ["amy", "bo", "cy", "dee", "eli", "xan", "jo", "craving", "mood"])
      expect(text).not.toMatch(new RegExp(`\\b${name}\\b`, "i"));
  });
});
