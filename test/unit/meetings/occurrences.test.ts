import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  nextOccurrences,
  normaliseClockTime,
  occurrenceOn,
  occurrencesBetween,
  parseWeekdays,
  weekStartOf,
} from "../../../src/domain/meetings/index.ts";

const mondayBigBook = { weekdays: [1], startTime: "19:00", durationMinutes: 90, timezone: "Europe/London" };

describe("a weekly meeting's occurrences keep their local time across daylight saving", () => {
  it("a London Monday 19:00 is 19:00 GMT in March and 19:00 BST (18:00 UTC) after the clocks go forward", () => {
    const found = occurrencesBetween(mondayBigBook, new Date("2027-03-15T00:00:00Z"), new Date("2027-04-06T00:00:00Z"));
    expect(found.map((o) => [o.localDate, o.startsAt.toISOString(), o.endsAt.toISOString()])).toEqual([
      ["2027-03-15", "2027-03-15T19:00:00.000Z", "2027-03-15T20:30:00.000Z"],
      ["2027-03-22", "2027-03-22T19:00:00.000Z", "2027-03-22T20:30:00.000Z"],
      ["2027-03-29", "2027-03-29T18:00:00.000Z", "2027-03-29T19:30:00.000Z"],
      ["2027-04-05", "2027-04-05T18:00:00.000Z", "2027-04-05T19:30:00.000Z"],
    ]);
  });

  it("New York moves two weeks earlier than London", () => {
    const ny = { weekdays: [0, 3], startTime: "08:30", durationMinutes: 60, timezone: "America/New_York" };
    const found = occurrencesBetween(ny, new Date("2027-03-10T00:00:00Z"), new Date("2027-03-18T00:00:00Z"));
    expect(found.map((o) => o.startsAt.toISOString())).toEqual([
      "2027-03-10T13:30:00.000Z",
      "2027-03-14T12:30:00.000Z",
      "2027-03-17T12:30:00.000Z",
    ]);
  });

  it("a start inside the spring-forward gap begins when the gap ends; one inside the autumn overlap at its first occurrence", () => {
    const early = { weekdays: [0], startTime: "01:30", durationMinutes: 60, timezone: "Europe/London" };
    expect(occurrenceOn(early, "2027-03-28")?.startsAt.toISOString()).toBe("2027-03-28T01:00:00.000Z");
    expect(occurrenceOn(early, "2027-10-31")?.startsAt.toISOString()).toBe("2027-10-31T00:30:00.000Z");
    expect(occurrenceOn(early, "2027-10-30")).toBeNull();
  });

  it("nextOccurrences walks forward across weeks; a meeting's week starts on Monday", () => {
    const next = nextOccurrences({ ...mondayBigBook, weekdays: [1, 4] }, new Date("2027-03-23T00:00:00Z"), 3);
    expect(next.map((o) => o.localDate)).toEqual(["2027-03-25", "2027-03-29", "2027-04-01"]);
    expect(weekStartOf("2027-03-28")).toBe("2027-03-22");
    expect(weekStartOf("2027-03-29")).toBe("2027-03-29");
  });

  it("property: every occurrence is on one of its weekdays, at its local time unless that time does not exist that day", () => {
    const zones = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Santiago", "Pacific/Auckland"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        fc.integer({ min: 0, max: 3 * 365 }),
        (zone, weekdays, hour, minute, dayOffset) => {
          const startTime = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
          const from = new Date(Date.UTC(2026, 0, 1) + dayOffset * 86_400_000);
          const to = new Date(from.getTime() + 14 * 86_400_000);
          const found = occurrencesBetween({ weekdays, startTime, durationMinutes: 60, timezone: zone }, from, to);
          expect(found.length).toBeGreaterThanOrEqual(weekdays.length);
          for (const o of found) {
            const local = DateTime.fromJSDate(o.startsAt, { zone });
            const wall = DateTime.fromISO(`${o.localDate}T${startTime}`, { zone });
            expect(weekdays).toContain(DateTime.fromISO(o.localDate).weekday % 7);
            if (wall.toFormat("yyyy-MM-dd HH:mm") === `${o.localDate} ${startTime}`) {
              expect(local.toFormat("yyyy-MM-dd HH:mm")).toBe(`${o.localDate} ${startTime}`);
            }
            expect(o.startsAt >= from && o.startsAt < to).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("what counsellors and feeds type", () => {
  it("clock times", () => {
    expect(normaliseClockTime("7:05")).toBe("07:05");
    expect(normaliseClockTime("19:30:00")).toBe("19:30");
    expect(normaliseClockTime("25:00")).toBeNull();
    expect(normaliseClockTime("19:60")).toBeNull();
    expect(normaliseClockTime("7pm")).toBeNull();
  });

  it("days", () => {
    expect(parseWeekdays("mon,thu")).toEqual({ ok: true, weekdays: [1, 4] });
    expect(parseWeekdays("Tuesdays and Fridays")).toEqual({ ok: true, weekdays: [2, 5] });
    expect(parseWeekdays("weekdays")).toEqual({ ok: true, weekdays: [1, 2, 3, 4, 5] });
    expect(parseWeekdays("daily")).toEqual({ ok: true, weekdays: [0, 1, 2, 3, 4, 5, 6] });
    expect(parseWeekdays("0 6")).toEqual({ ok: true, weekdays: [0, 6] });
    expect(parseWeekdays("mon,funday")).toEqual({ ok: false, unknown: "funday" });
    expect(parseWeekdays("t")).toEqual({ ok: false, unknown: "t" });
  });
});
