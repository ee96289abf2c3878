import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MILESTONES, milestoneReachedOn, nextMilestone } from "../../../src/domain/checkin/milestones.ts";
import { addDays } from "../../../src/domain/checkin/schedule.ts";

describe("the milestones", () => {
  it("are 24 hours, 30, 60 and 90 days, 6 and 9 months, 1 year and 18 months, then every year", () => {
    expect(MILESTONES.map((m) => `${m.key} ${m.label}`)).toEqual([
      "1d 24 hours",
      "30d 30 days",
      "60d 60 days",
      "90d 90 days",
      "6m 6 months",
      "9m 9 months",
      "1y 1 year",
      "18m 18 months",
    ]);
  });
});

describe("a resident sober since 2027-01-01", () => {
  const start = "2027-01-01";

  it.each([
    ["2027-01-02", "1d", "24 hours"],
    ["2027-01-31", "30d", "30 days"],
    ["2027-03-02", "60d", "60 days"],
    ["2027-04-01", "90d", "90 days"],
    ["2027-07-01", "6m", "6 months"],
    ["2027-10-01", "9m", "9 months"],
    ["2028-01-01", "1y", "1 year"],
    ["2028-07-01", "18m", "18 months"],
    ["2029-01-01", "2y", "2 years"],
    ["2030-01-01", "3y", "3 years"],
    ["2037-01-01", "10y", "10 years"],
  ])("reaches a milestone on %s: %s (%s)", (date, key, label) => {
    expect(milestoneReachedOn(start, date)).toEqual({ key, label });
  });

  it("reaches nothing on the start date or on an ordinary day", () => {
    expect(milestoneReachedOn(start, start)).toBeNull();
    expect(milestoneReachedOn(start, "2027-01-03")).toBeNull();
    expect(milestoneReachedOn(start, "2028-12-31")).toBeNull();
    expect(milestoneReachedOn(start, "2026-12-31")).toBeNull();
  });

  it("looks ahead to 24 hours on the first day", () => {
    expect(nextMilestone(start, start)).toEqual({ key: "1d", label: "24 hours", date: "2027-01-02", daysAway: 1 });
  });

  it("looks past a milestone reached today to the one after", () => {
    expect(nextMilestone(start, "2027-01-31")).toEqual({ key: "60d", label: "60 days", date: "2027-03-02", daysAway: 30 });
  });

  it("looks from 18 months to 2 years, and from 2 years to 3", () => {
    expect(nextMilestone(start, "2028-07-01")).toEqual({ key: "2y", label: "2 years", date: "2029-01-01", daysAway: 184 });
    expect(nextMilestone(start, "2029-01-01")).toMatchObject({ key: "3y", date: "2030-01-01", daysAway: 365 });
  });
});

describe("streaks that start at the end of a month", () => {
  it("keeps the 31st where the month has one: 2027-01-31 reaches 6 months on 2027-07-31", () => {
    expect(milestoneReachedOn("2027-01-31", "2027-07-31")).toEqual({ key: "6m", label: "6 months" });
    expect(milestoneReachedOn("2027-01-31", "2027-10-31")).toEqual({ key: "9m", label: "9 months" });
    expect(milestoneReachedOn("2027-01-31", "2028-07-31")).toEqual({ key: "18m", label: "18 months" });
  });

  it("uses the last day of a shorter month: 2027-03-31 reaches 6 months on 2027-09-30", () => {
    expect(milestoneReachedOn("2027-03-31", "2027-09-30")).toEqual({ key: "6m", label: "6 months" });
    expect(milestoneReachedOn("2027-03-31", "2027-10-01")).toBeNull();
  });

  it("lands on a leap day when there is one: 2027-08-31 reaches 6 months on 2028-02-29", () => {
    expect(milestoneReachedOn("2027-08-31", "2028-02-29")).toEqual({ key: "6m", label: "6 months" });
    expect(milestoneReachedOn("2027-08-31", "2028-05-31")).toEqual({ key: "9m", label: "9 months" });
  });

  it("measures every year from the start, so a leap-day start is back on the 29th in leap years", () => {
    const start = "2028-02-29";
    expect(milestoneReachedOn(start, "2029-02-28")).toEqual({ key: "1y", label: "1 year" });
    expect(milestoneReachedOn(start, "2030-02-28")).toEqual({ key: "2y", label: "2 years" });
    expect(milestoneReachedOn(start, "2032-02-29")).toEqual({ key: "4y", label: "4 years" });
    expect(milestoneReachedOn(start, "2032-02-28")).toBeNull();
    expect(nextMilestone(start, "2031-06-01")).toMatchObject({ key: "4y", date: "2032-02-29" });
  });
});

describe("milestones for any streak", () => {
  const date = fc
    .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2060-12-31T00:00:00Z"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it("the next milestone is after today, and it is reached on its date", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 6000 }), (start, elapsed) => {
        const today = addDays(start, elapsed);
        const next = nextMilestone(start, today);
        expect(next.date > today).toBe(true);
        expect(next.daysAway).toBeGreaterThan(0);
        expect(addDays(today, next.daysAway)).toBe(next.date);
        expect(milestoneReachedOn(start, next.date)).toEqual({ key: next.key, label: next.label });
      }),
    );
  });

  it("no milestone is skipped: the day before any milestone looks ahead to it", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 6000 }), (start, elapsed) => {
        const day = addDays(start, elapsed);
        const reached = milestoneReachedOn(start, day);
        if (reached === null) return;
        expect(nextMilestone(start, addDays(day, -1))).toMatchObject({ ...reached, date: day, daysAway: 1 });
      }),
    );
  });

  it("every milestone a streak passes through is distinct, and in order", () => {
    fc.assert(
      fc.property(date, (start) => {
        const keys: string[] = [];
        let today = start;
        for (let i = 0; i < 12; i++) {
          const next = nextMilestone(start, today);
          keys.push(next.key);
          today = next.date;
        }
        expect(keys).toEqual(["1d", "30d", "60d", "90d", "6m", "9m", "1y", "18m", "2y", "3y", "4y", "5y"]);
      }),
      { numRuns: 50 },
    );
  });
});
