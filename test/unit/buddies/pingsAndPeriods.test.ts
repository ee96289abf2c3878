import { describe, expect, it } from "vitest";
import {
  buddiedDays,
  parsePreferences,
  pingAllowance,
  plannedEndOf,
  preferencesLine,
  readPreferences,
  stillNeedsBuddy,
} from "../../../src/domain/buddies/index.ts";

const at = (iso: string) => new Date(iso);

describe("ping limit per pair", () => {
  it("allows three in half an hour, then says when the next may go", () => {
    const earlier = [at("2027-03-15T21:00:00Z"), at("2027-03-15T21:05:00Z")];
    expect(pingAllowance(earlier, at("2027-03-15T21:10:00Z"))).toEqual({ allowed: true });
    const full = [...earlier, at("2027-03-15T21:10:00Z")];
    expect(pingAllowance(full, at("2027-03-15T21:11:00Z"))).toEqual({ allowed: false, retryAt: at("2027-03-15T21:30:00Z") });
    expect(pingAllowance(full, at("2027-03-15T21:30:00Z"))).toEqual({ allowed: true });
  });

  it("older pings and their order do not matter", () => {
    const pings = [at("2027-03-15T21:20:00Z"), at("2027-03-15T20:00:00Z"), at("2027-03-15T21:10:00Z"), at("2027-03-15T21:15:00Z")];
    expect(pingAllowance(pings, at("2027-03-15T21:25:00Z"))).toEqual({ allowed: false, retryAt: at("2027-03-15T21:40:00Z") });
  });
});

describe("pairing period", () => {
  it("ends whole days after it starts", () => {
    expect(plannedEndOf(at("2027-03-01T10:30:00Z"), 30).toISOString()).toBe("2027-03-31T10:30:00.000Z");
  });

  it("counts every day a newcomer has had a buddy, and whether they still need one", () => {
    const history = [
      { startedAt: at("2027-03-01T00:00:00Z"), endedAt: at("2027-03-11T00:00:00Z") },
      { startedAt: at("2027-03-12T00:00:00Z"), endedAt: null },
      { startedAt: null, endedAt: null },
    ];
    const days = buddiedDays(history, at("2027-03-20T12:00:00Z"));
    expect(days).toBe(18);
    const resident = { role: "resident" as const, status: "active" as const, isBot: false };
    expect(stillNeedsBuddy(resident, days, 30)).toBe(true);
    expect(stillNeedsBuddy(resident, 30, 30)).toBe(false);
    expect(stillNeedsBuddy({ ...resident, status: "discharged" }, 0, 30)).toBe(false);
  });
});

describe("preferences", () => {
  it("reads pairs separated by spaces or commas, lower-cased", () => {
    expect(parsePreferences("Gender=F, language:EN")).toEqual({ ok: true, preferences: { gender: "f", language: "en" } });
    expect(parsePreferences("none")).toEqual({ ok: true, preferences: {} });
  });

  it("refuses what does not look like key=value, and too many", () => {
    expect(parsePreferences("women please")).toMatchObject({ ok: false });
    expect(parsePreferences("a=1 b=2 c=3 d=4 e=5 f=6")).toMatchObject({ ok: false, problem: "give at most 5 preferences" });
    expect(parsePreferences(`language=${"x".repeat(31)}`)).toMatchObject({ ok: false });
  });

  it("stored JSON that is odd is read as far as it makes sense", () => {
    expect(readPreferences({ Language: "EN", age: 40, "bad key": "x" })).toEqual({ language: "en" });
    expect(readPreferences(["x"])).toEqual({});
    expect(preferencesLine({ language: "en", gender: "f" })).toBe("gender=f, language=en");
  });
});
