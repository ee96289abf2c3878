import { describe, expect, it } from "vitest";
import { isValidZone, suggestZone } from "../../../src/domain/checkin/zoneNames.ts";

describe("checking a time zone a resident gave", () => {
  it.each([
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "America/St_Johns",
    "Pacific/Chatham",
    "UTC",
    "America/Argentina/Buenos_Aires",
  ])("accepts %s", (zone) => {
    expect(isValidZone(zone)).toBe(true);
  });

  it.each([
    ["a misspelling", "Europe/Londn"],
    ["a city on its own", "london"],
    ["a lower-case spelling, which should be stored with its capitals", "europe/london"],
    ["an abbreviation that would ignore daylight saving", "EST"],
    ["a raw offset", "+05:30"],
    ["nothing", ""],
  ])("refuses %s (%s)", (_why, zone) => {
    expect(isValidZone(zone)).toBe(false);
  });
});

describe("suggesting a zone for what a resident typed", () => {
  it.each([
    ["london", "Europe/London"],
    ["London", "Europe/London"],
    ["new york", "America/New_York"],
    ["New York City", "America/New_York"],
    ["newyork", "America/New_York"],
    ["Europe/Londn", "Europe/London"],
    ["Amercia/New_York", "America/New_York"],
    ["europe/london", "Europe/London"],
    ["los angeles", "America/Los_Angeles"],
    ["sydny", "Australia/Sydney"],
    ["kolkata", "Asia/Kolkata"],
    ["calcutta", "Asia/Kolkata"],
    ["Kiev", "Europe/Kyiv"],
    ["St. John's", "America/St_Johns"],
    ["chatham", "Pacific/Chatham"],
    ["Eastern", "America/New_York"],
    ["EST", "America/New_York"],
    ["pacific time", "America/Los_Angeles"],
    ["UK", "Europe/London"],
    ["utc", "UTC"],
  ])("suggests a name for %j: %s", (typed, expected) => {
    expect(suggestZone(typed)).toBe(expected);
  });

  it("hands back a name that is already valid unchanged", () => {
    expect(suggestZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(suggestZone("  Europe/London  ")).toBe("Europe/London");
  });

  it("only ever suggests names that pass the check", () => {
    for (const typed of ["london", "calcutta", "europe/london", "EST", "US/Eastern", "Etc/UTC", "tokio", "paris"]) {
      const suggestion = suggestZone(typed);
      expect(suggestion).not.toBeNull();
      expect(isValidZone(suggestion ?? "")).toBe(true);
    }
  });

  it("suggests nothing rather than a wild guess", () => {
    expect(suggestZone("")).toBeNull();
    expect(suggestZone("   ")).toBeNull();
    expect(suggestZone("xyzzy")).toBeNull();
    expect(suggestZone("my house")).toBeNull();
    expect(suggestZone("ab")).toBeNull();
  });
});
