import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, daysBetween } from "../../../src/domain/checkin/schedule.ts";
import { type SobrietyEvent, sobrietySummary } from "../../../src/domain/checkin/streaks.ts";

const set = (date: string): SobrietyEvent => ({ kind: "date_set", date });
const lapse = (date: string): SobrietyEvent => ({ kind: "lapse", date });
const recommit = (date: string): SobrietyEvent => ({ kind: "recommitment", date });

describe("a resident who sets a sobriety date", () => {
  it("has 0 days on the date itself and 1 the next day", () => {
    expect(sobrietySummary([set("2027-01-01")], "2027-01-01")).toEqual({
      currentStreakStart: "2027-01-01",
      daysSober: 0,
      totalSoberDays: 0,
      lapses: 0,
      lastLapse: null,
    });
    expect(sobrietySummary([set("2027-01-01")], "2027-01-02").daysSober).toBe(1);
  });

  it("counts calendar days, so a year from 2027-01-01 is 365", () => {
    const summary = sobrietySummary([set("2027-01-01")], "2028-01-01");
    expect(summary.daysSober).toBe(365);
    expect(summary.totalSoberDays).toBe(365);
  });

  it("takes a later correction of the date as the start, even an earlier date", () => {
    const summary = sobrietySummary([set("2027-01-01"), set("2026-12-01")], "2027-01-10");
    expect(summary.currentStreakStart).toBe("2026-12-01");
    expect(summary.daysSober).toBe(40);
    expect(summary.totalSoberDays).toBe(40);
  });

  it("ignores a date set in the future until that day comes", () => {
    expect(sobrietySummary([set("2027-02-01")], "2027-01-10").currentStreakStart).toBeNull();
    expect(sobrietySummary([set("2027-02-01")], "2027-02-01").currentStreakStart).toBe("2027-02-01");
  });
});

describe("a resident who lapses and recommits", () => {
  const history = [set("2027-01-01"), lapse("2027-01-10"), recommit("2027-01-11")];

  it("has no current streak between the lapse and the recommitment, and keeps the sober days they had", () => {
    expect(sobrietySummary(history.slice(0, 2), "2027-01-10")).toEqual({
      currentStreakStart: null,
      daysSober: 0,
      totalSoberDays: 9,
      lapses: 1,
      lastLapse: "2027-01-10",
    });
  });

  it("starts counting again from the recommitment, and the total adds both streaks", () => {
    expect(sobrietySummary(history, "2027-01-15")).toEqual({
      currentStreakStart: "2027-01-11",
      daysSober: 4,
      totalSoberDays: 9 + 4,
      lapses: 1,
      lastLapse: "2027-01-10",
    });
  });

  it("never counts the lapse day as sober, even when they recommit the same day", () => {
    const sameDay = sobrietySummary([set("2027-01-01"), lapse("2027-01-10"), recommit("2027-01-10")], "2027-01-15");
    expect(sameDay.currentStreakStart).toBe("2027-01-10");
    expect(sameDay.daysSober).toBe(5);
    expect(sameDay.totalSoberDays).toBe(9 + 4);
  });

  it("ends a streak that started the same day as the lapse with no sober days", () => {
    const summary = sobrietySummary([recommit("2027-01-10"), lapse("2027-01-10")], "2027-01-12");
    expect(summary.currentStreakStart).toBeNull();
    expect(summary.totalSoberDays).toBe(0);
  });

  it("counts several lapses, and the same day reported twice only once", () => {
    const summary = sobrietySummary(
      [set("2027-01-01"), lapse("2027-02-01"), lapse("2027-02-01"), recommit("2027-02-03"), lapse("2027-03-01"), recommit("2027-03-02")],
      "2027-03-12",
    );
    expect(summary.lapses).toBe(2);
    expect(summary.lastLapse).toBe("2027-03-01");
    expect(summary.totalSoberDays).toBe(31 + 26 + 10);
    expect(summary.daysSober).toBe(10);
  });

  it("keeps the days of a streak that was never reported as broken when they recommit", () => {
    const summary = sobrietySummary([set("2027-01-01"), recommit("2027-01-11")], "2027-01-15");
    expect(summary.currentStreakStart).toBe("2027-01-11");
    expect(summary.daysSober).toBe(4);
    expect(summary.totalSoberDays).toBe(14);
  });

  it("counts a lapse reported late for a day before the current streak without ending it", () => {
    const summary = sobrietySummary([set("2027-03-01"), lapse("2027-02-15")], "2027-03-05");
    expect(summary.currentStreakStart).toBe("2027-03-01");
    expect(summary.daysSober).toBe(4);
    expect(summary.lapses).toBe(1);
    expect(summary.lastLapse).toBe("2027-02-15");
  });

  it("records a lapse with no streak running", () => {
    expect(sobrietySummary([lapse("2027-01-05")], "2027-01-06")).toEqual({
      currentStreakStart: null,
      daysSober: 0,
      totalSoberDays: 0,
      lapses: 1,
      lastLapse: "2027-01-05",
    });
  });

  it("has nothing to say about an empty history", () => {
    expect(sobrietySummary([], "2027-01-06")).toEqual({
      currentStreakStart: null,
      daysSober: 0,
      totalSoberDays: 0,
      lapses: 0,
      lastLapse: null,
    });
  });
});

describe("any history of sobriety events", () => {
  const today = "2027-06-30";
  const event = fc.record({
    kind: fc.constantFrom<SobrietyEvent["kind"]>("date_set", "lapse", "recommitment"),
    date: fc.integer({ min: -400, max: 30 }).map((n) => addDays(today, n)),
  });

  it("keeps the summary consistent with itself", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), (events) => {
        const summary = sobrietySummary(events, today);
        const past = events.filter((e) => e.date <= today);
        const lapseDates = new Set(past.filter((e) => e.kind === "lapse").map((e) => e.date));
        expect(summary.lapses).toBe(lapseDates.size);
        expect(summary.lastLapse).toBe([...lapseDates].sort().at(-1) ?? null);
        expect(summary.daysSober).toBeGreaterThanOrEqual(0);
        if (summary.currentStreakStart === null) {
          expect(summary.daysSober).toBe(0);
        } else {
          expect(summary.currentStreakStart <= today).toBe(true);
          expect(summary.daysSober).toBe(daysBetween(summary.currentStreakStart, today));
        }
        const earliest = past.map((e) => e.date).sort()[0];
        const span = earliest === undefined ? 0 : daysBetween(earliest, today);
        expect(summary.totalSoberDays).toBeLessThanOrEqual(span);
        expect(summary.totalSoberDays).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("counts every day of the current streak in the total, except days a lapse was reported for", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), (events) => {
        const summary = sobrietySummary(events, today);
        const start = summary.currentStreakStart;
        if (start === null) return;
        const lapsedInStreak = new Set(events.filter((e) => e.kind === "lapse" && e.date >= start && e.date < today).map((e) => e.date));
        expect(summary.totalSoberDays).toBeGreaterThanOrEqual(summary.daysSober - lapsedInStreak.size);
      }),
    );
  });

  it("ignores events dated after today", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), (events) => {
        const past = events.filter((e) => e.date <= today);
        expect(sobrietySummary(events, today)).toEqual(sobrietySummary(past, today));
      }),
    );
  });
});
