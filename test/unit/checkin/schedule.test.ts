import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  addDays,
  checkinInstantOn,
  checkinWindow,
  daysBetween,
  localDateOf,
  nextCheckinInstant,
} from "../../../src/domain/checkin/schedule.ts";

const LONDON = "Europe/London";
const NEW_YORK = "America/New_York";

function wallClock(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd HH:mm ZZ");
}

/** Follows the schedule the way the scheduler does: each check-in is found from the previous one. */
function checkinsFrom(after: Date, localTime: string, zone: string, count: number) {
  const found: Array<{ dueAt: Date; localDate: string }> = [];
  let cursor = after;
  for (let i = 0; i < count; i++) {
    const next = nextCheckinInstant(cursor, localTime, zone);
    found.push(next);
    cursor = next.dueAt;
  }
  return found;
}

describe("a London resident with an 8pm check-in across the spring change (2027-03-28)", () => {
  const week = checkinsFrom(new Date("2027-03-24T21:00:00Z"), "20:00", LONDON, 7);

  it("gets one check-in per local day, each at 8pm on the clock", () => {
    expect(week.map((c) => c.localDate)).toEqual([
      "2027-03-25",
      "2027-03-26",
      "2027-03-27",
      "2027-03-28",
      "2027-03-29",
      "2027-03-30",
      "2027-03-31",
    ]);
    for (const checkin of week)
      expect(wallClock(checkin.dueAt, LONDON)).toBe(`${checkin.localDate} 20:00 ${checkin.localDate < "2027-03-28" ? "+00:00" : "+01:00"}`);
  });

  it("moves from 20:00 UTC to 19:00 UTC, so the day of the change is 23 hours long", () => {
    const [, , saturday, sunday] = week;
    expect(saturday?.dueAt.toISOString()).toBe("2027-03-27T20:00:00.000Z");
    expect(sunday?.dueAt.toISOString()).toBe("2027-03-28T19:00:00.000Z");
    expect((sunday?.dueAt.getTime() ?? 0) - (saturday?.dueAt.getTime() ?? 0)).toBe(23 * 3_600_000);
  });
});

describe("a London resident whose check-in time falls in the spring-forward gap", () => {
  it("is checked in on at 02:00 BST (01:00 UTC), the first moment after the gap", () => {
    const dueAt = checkinInstantOn("2027-03-28", "01:30", LONDON);
    expect(dueAt.toISOString()).toBe("2027-03-28T01:00:00.000Z");
    expect(wallClock(dueAt, LONDON)).toBe("2027-03-28 02:00 +01:00");
  });

  it("treats the very start of the gap (01:00) the same way", () => {
    expect(checkinInstantOn("2027-03-28", "01:00", LONDON).toISOString()).toBe("2027-03-28T01:00:00.000Z");
    expect(checkinInstantOn("2027-03-28", "00:59", LONDON).toISOString()).toBe("2027-03-28T00:59:00.000Z");
    expect(checkinInstantOn("2027-03-28", "02:00", LONDON).toISOString()).toBe("2027-03-28T01:00:00.000Z");
  });

  it("still belongs to 2027-03-28 when found from the night before", () => {
    const next = nextCheckinInstant(new Date("2027-03-27T23:00:00Z"), "01:30", LONDON);
    expect(next).toEqual({ dueAt: new Date("2027-03-28T01:00:00Z"), localDate: "2027-03-28" });
  });

  it("goes back to 01:30 on the clock the next day", () => {
    const next = nextCheckinInstant(new Date("2027-03-28T01:00:00Z"), "01:30", LONDON);
    expect(next).toEqual({ dueAt: new Date("2027-03-29T00:30:00Z"), localDate: "2027-03-29" });
  });
});

describe("a London resident whose check-in time happens twice when the clocks go back (2027-10-31)", () => {
  it("is checked in on once, at the first 01:30 (BST)", () => {
    const dueAt = checkinInstantOn("2027-10-31", "01:30", LONDON);
    expect(dueAt.toISOString()).toBe("2027-10-31T00:30:00.000Z");
    expect(wallClock(dueAt, LONDON)).toBe("2027-10-31 01:30 +01:00");
  });

  it("is not prompted again at the second 01:30 (GMT): the next check-in is the following night", () => {
    const first = nextCheckinInstant(new Date("2027-10-30T12:00:00Z"), "01:30", LONDON);
    expect(first.localDate).toBe("2027-10-31");
    const second = nextCheckinInstant(first.dueAt, "01:30", LONDON);
    expect(second).toEqual({ dueAt: new Date("2027-11-01T01:30:00Z"), localDate: "2027-11-01" });
  });

  it("is not prompted at the second 01:30 even when the scheduler looks between the two", () => {
    const next = nextCheckinInstant(new Date("2027-10-31T01:00:00Z"), "01:30", LONDON);
    expect(next.localDate).toBe("2027-11-01");
  });

  it("has a 25-hour day between the 8pm check-ins either side of the change", () => {
    const [saturday, sunday] = checkinsFrom(new Date("2027-10-30T12:00:00Z"), "20:00", LONDON, 2);
    expect(saturday?.dueAt.toISOString()).toBe("2027-10-30T19:00:00.000Z");
    expect(sunday?.dueAt.toISOString()).toBe("2027-10-31T20:00:00.000Z");
  });
});

describe("a New York resident with an 8am check-in across both 2027 changes", () => {
  it("gets 8am on the clock every day across the spring change (2027-03-14)", () => {
    const days = checkinsFrom(new Date("2027-03-12T00:00:00Z"), "08:00", NEW_YORK, 4);
    expect(days.map((d) => [d.localDate, d.dueAt.toISOString()])).toEqual([
      ["2027-03-12", "2027-03-12T13:00:00.000Z"],
      ["2027-03-13", "2027-03-13T13:00:00.000Z"],
      ["2027-03-14", "2027-03-14T12:00:00.000Z"],
      ["2027-03-15", "2027-03-15T12:00:00.000Z"],
    ]);
  });

  it("gets 8am on the clock every day across the autumn change (2027-11-07)", () => {
    const days = checkinsFrom(new Date("2027-11-05T00:00:00Z"), "08:00", NEW_YORK, 4);
    expect(days.map((d) => [d.localDate, d.dueAt.toISOString()])).toEqual([
      ["2027-11-05", "2027-11-05T12:00:00.000Z"],
      ["2027-11-06", "2027-11-06T12:00:00.000Z"],
      ["2027-11-07", "2027-11-07T13:00:00.000Z"],
      ["2027-11-08", "2027-11-08T13:00:00.000Z"],
    ]);
  });

  it("fires a 02:30 check-in at 03:00 EDT on 2027-03-14, when 02:30 never happens", () => {
    const dueAt = checkinInstantOn("2027-03-14", "02:30", NEW_YORK);
    expect(dueAt.toISOString()).toBe("2027-03-14T07:00:00.000Z");
    expect(wallClock(dueAt, NEW_YORK)).toBe("2027-03-14 03:00 -04:00");
  });

  it("fires a 01:30 check-in once on 2027-11-07, at the first (EDT) 01:30", () => {
    const first = nextCheckinInstant(new Date("2027-11-06T12:00:00Z"), "01:30", NEW_YORK);
    expect(first).toEqual({ dueAt: new Date("2027-11-07T05:30:00Z"), localDate: "2027-11-07" });
    expect(wallClock(first.dueAt, NEW_YORK)).toBe("2027-11-07 01:30 -04:00");
    const second = nextCheckinInstant(first.dueAt, "01:30", NEW_YORK);
    expect(second).toEqual({ dueAt: new Date("2027-11-08T06:30:00Z"), localDate: "2027-11-08" });
  });

  it("fires a midnight check-in on the right local date", () => {
    expect(nextCheckinInstant(new Date("2027-11-07T03:59:00Z"), "00:00", NEW_YORK)).toEqual({
      dueAt: new Date("2027-11-07T04:00:00Z"),
      localDate: "2027-11-07",
    });
  });
});

describe("finding the next check-in", () => {
  it("is strictly after the given instant: a check-in due right now is not due again", () => {
    const dueAt = checkinInstantOn("2027-06-01", "20:00", LONDON);
    expect(nextCheckinInstant(dueAt, "20:00", LONDON).localDate).toBe("2027-06-02");
    expect(nextCheckinInstant(new Date(dueAt.getTime() - 1), "20:00", LONDON).localDate).toBe("2027-06-01");
  });

  it("refuses a time or zone it cannot read", () => {
    const now = new Date("2027-06-01T12:00:00Z");
    expect(() => nextCheckinInstant(now, "24:00", LONDON)).toThrow(RangeError);
    expect(() => nextCheckinInstant(now, "8:00", LONDON)).toThrow(RangeError);
    expect(() => nextCheckinInstant(now, "20:00", "Mars/Olympus_Mons")).toThrow(RangeError);
    expect(() => checkinInstantOn("2027-02-30", "20:00", LONDON)).toThrow(RangeError);
  });
});

describe("local dates", () => {
  it("reads the date on the member's own clock, not UTC's", () => {
    expect(localDateOf(new Date("2027-06-01T23:30:00Z"), LONDON)).toBe("2027-06-02");
    expect(localDateOf(new Date("2027-06-02T03:30:00Z"), NEW_YORK)).toBe("2027-06-01");
    expect(localDateOf(new Date("2027-11-07T05:30:00Z"), NEW_YORK)).toBe("2027-11-07");
  });

  it("adds calendar days across month, year and leap-day boundaries", () => {
    expect(addDays("2027-03-27", 1)).toBe("2027-03-28");
    expect(addDays("2027-12-31", 1)).toBe("2028-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2027-01-01", 365)).toBe("2028-01-01");
    expect(addDays("2027-05-05", 0)).toBe("2027-05-05");
  });

  it("counts calendar days between dates, whatever the clocks did in between", () => {
    expect(daysBetween("2027-03-27", "2027-03-29")).toBe(2);
    expect(daysBetween("2027-10-30", "2027-11-01")).toBe(2);
    expect(daysBetween("2027-01-01", "2028-01-01")).toBe(365);
    expect(daysBetween("2028-01-01", "2029-01-01")).toBe(366);
    expect(daysBetween("2027-06-10", "2027-06-01")).toBe(-9);
  });

  it("refuses dates that do not exist or are not YYYY-MM-DD", () => {
    expect(() => addDays("2027-02-29", 1)).toThrow(RangeError);
    expect(() => addDays("2027-1-5", 1)).toThrow(RangeError);
    expect(() => addDays("2027-01-05", 1.5)).toThrow(RangeError);
    expect(() => daysBetween("yesterday", "2027-01-05")).toThrow(RangeError);
  });
});

describe("the answer window", () => {
  it("reminds and closes a set number of minutes after the check-in is due", () => {
    const window = checkinWindow(new Date("2027-06-01T19:00:00Z"), { reminderAfterMinutes: 120, windowMinutes: 360 });
    expect(window).toEqual({ remindAt: new Date("2027-06-01T21:00:00Z"), closesAt: new Date("2027-06-02T01:00:00Z") });
  });

  it("counts real elapsed time across the night the clocks go back", () => {
    const dueAt = checkinInstantOn("2027-10-31", "00:30", LONDON);
    const { closesAt } = checkinWindow(dueAt, { reminderAfterMinutes: 60, windowMinutes: 360 });
    expect(closesAt.getTime() - dueAt.getTime()).toBe(6 * 3_600_000);
    expect(wallClock(closesAt, LONDON)).toBe("2027-10-31 05:30 +00:00");
  });

  it("refuses negative minutes", () => {
    expect(() => checkinWindow(new Date(), { reminderAfterMinutes: -1, windowMinutes: 360 })).toThrow(RangeError);
  });
});
