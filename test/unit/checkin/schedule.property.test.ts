import fc from "fast-check";
import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { addDays, checkinInstantOn, daysBetween, localDateOf, nextCheckinInstant } from "../../../src/domain/checkin/schedule.ts";

const HOUR_MS = 3_600_000;

// Zones with whole-hour, half-hour and 45-minute offsets, southern-hemisphere DST, a 30-minute DST
// shift (Lord Howe) and changes at midnight (Santiago).
const ZONES = [
  "Europe/London",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "America/St_Johns",
  "Pacific/Chatham",
  "Australia/Lord_Howe",
  "America/Santiago",
] as const;

const zone = fc.constantFrom(...ZONES);
const localTime = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.oneof(fc.constantFrom(0, 15, 30, 45), fc.integer({ min: 0, max: 59 })))
  .map(([hour, minute]) => `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`);
const instant = fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2035-12-31T00:00:00Z"), noInvalidDate: true });

function wallClock(at: Date, zoneName: string): string {
  return DateTime.fromJSDate(at, { zone: zoneName }).toFormat("yyyy-MM-dd HH:mm");
}

describe("nextCheckinInstant, for any zone, time and moment", () => {
  it("is after the moment, and no more than a day plus a DST shift later", () => {
    fc.assert(
      fc.property(zone, localTime, instant, (z, time, after) => {
        const { dueAt } = nextCheckinInstant(after, time, z);
        expect(dueAt.getTime()).toBeGreaterThan(after.getTime());
        expect(dueAt.getTime() - after.getTime()).toBeLessThanOrEqual(25 * HOUR_MS);
      }),
      { numRuns: 400 },
    );
  });

  it("belongs to the next eligible local date: that date's check-in, with the day before already past", () => {
    fc.assert(
      fc.property(zone, localTime, instant, (z, time, after) => {
        const { dueAt, localDate } = nextCheckinInstant(after, time, z);
        expect(checkinInstantOn(localDate, time, z)).toEqual(dueAt);
        expect(checkinInstantOn(addDays(localDate, -1), time, z).getTime()).toBeLessThanOrEqual(after.getTime());
        expect(daysBetween(localDateOf(after, z), localDate)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(localDateOf(after, z), localDate)).toBeLessThanOrEqual(1);
        expect(localDateOf(dueAt, z)).toBe(localDate);
      }),
      { numRuns: 400 },
    );
  });

  it("shows the check-in time on the local clock, or is the first moment after a gap that skipped it", () => {
    fc.assert(
      fc.property(zone, localTime, instant, (z, time, after) => {
        const { dueAt, localDate } = nextCheckinInstant(after, time, z);
        const wanted = `${localDate} ${time}`;
        if (wallClock(dueAt, z) === wanted) {
          // First occurrence: half an hour or an hour earlier (the DST shifts in these zones) the
          // clock did not already show the same time.
          for (const minutes of [30, 60]) {
            expect(wallClock(new Date(dueAt.getTime() - minutes * 60_000), z)).not.toBe(wanted);
          }
        } else {
          const offsets = IANAZone.create(z);
          expect(offsets.offset(dueAt.getTime() - 1)).toBeLessThan(offsets.offset(dueAt.getTime()));
          expect(wallClock(new Date(dueAt.getTime() - 1), z) < wanted).toBe(true);
          expect(wallClock(dueAt, z) > wanted).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("following the schedule day after day for a year", () => {
  it("gives exactly one check-in per local date, with no date skipped", () => {
    fc.assert(
      fc.property(zone, localTime, instant, (z, time, start) => {
        let previous = nextCheckinInstant(start, time, z);
        for (let day = 0; day < 366; day++) {
          const next = nextCheckinInstant(previous.dueAt, time, z);
          expect(next.localDate).toBe(addDays(previous.localDate, 1));
          expect(next.dueAt.getTime()).toBeGreaterThan(previous.dueAt.getTime());
          previous = next;
        }
      }),
      { numRuns: 30 },
    );
  });

  it("finds every check-in of 2027 in every zone at a time inside each DST gap or overlap", () => {
    for (const z of ZONES) {
      for (const time of ["00:00", "00:30", "01:30", "02:00", "02:30", "03:00", "23:30"]) {
        const dates = new Set<string>();
        let cursor = new Date("2026-12-31T00:00:00Z");
        while (dates.size < 365) {
          const next = nextCheckinInstant(cursor, time, z);
          if (next.localDate >= "2027-01-01") dates.add(next.localDate);
          cursor = next.dueAt;
        }
        expect([...dates].at(0)).toBe("2027-01-01");
        expect([...dates].at(-1)).toBe("2027-12-31");
      }
    }
  });
});

describe("calendar day arithmetic", () => {
  const localDate = fc
    .date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2080-12-31T00:00:00Z"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it("adding n days and counting the days back agree", () => {
    fc.assert(
      fc.property(localDate, fc.integer({ min: -5000, max: 5000 }), (date, n) => {
        expect(daysBetween(date, addDays(date, n))).toBe(n);
        expect(addDays(addDays(date, n), -n)).toBe(date);
      }),
    );
  });
});
