import { describe, expect, it } from "vitest";
import { type BuddyCandidate, ineligibleReasons, type MatchRules, rankCandidates } from "../../../src/domain/buddies/index.ts";

const rules: MatchRules = { today: "2027-03-15", buddyMinDays: 30, buddyCapacity: 1, seniorPeerCapacity: 2 };
const newcomer = { id: "ava", preferences: { language: "pl" } };

function candidate(id: string, extra: Partial<BuddyCandidate> = {}): BuddyCandidate {
  return {
    id,
    role: "resident",
    peerRole: "buddy_eligible",
    status: "active",
    isBot: false,
    programmeStart: "2026-12-01",
    lastLapseOn: null,
    lastAlertOn: null,
    hasOpenAlert: false,
    activeNewcomers: 0,
    lastBuddiedOn: null,
    hasOwnBuddy: false,
    preferences: {},
    ...extra,
  };
}

describe("who may buddy a newcomer", () => {
  it("a resident with the role, 30 days in, and two quiet weeks may", () => {
    expect(ineligibleReasons(candidate("ben", { programmeStart: "2027-02-13" }), newcomer, rules)).toEqual([]);
  });

  it("names every reason someone may not", () => {
    const everything = candidate("ava", {
      role: "counsellor",
      peerRole: "none",
      status: "paused",
      hasOwnBuddy: true,
      programmeStart: "2027-02-14",
      lastLapseOn: "2027-03-02",
      hasOpenAlert: true,
    });
    expect(ineligibleReasons(everything, newcomer, { ...rules, exclude: ["ava"] })).toEqual([
      "self",
      "excluded",
      "not_resident",
      "no_role",
      "not_active",
      "has_own_buddy",
      "too_new",
      "recent_lapse",
      "recent_alert",
    ]);
  });

  it("a lapse or an alert fourteen days ago no longer counts; thirteen days ago still does", () => {
    expect(ineligibleReasons(candidate("ben", { lastLapseOn: "2027-03-01", lastAlertOn: "2027-03-01" }), newcomer, rules)).toEqual([]);
    expect(ineligibleReasons(candidate("ben", { lastLapseOn: "2027-03-02" }), newcomer, rules)).toEqual(["recent_lapse"]);
    expect(ineligibleReasons(candidate("ben", { lastAlertOn: "2027-03-02" }), newcomer, rules)).toEqual(["recent_alert"]);
  });

  it("senior peers may buddy two newcomers at once by default, buddies one", () => {
    expect(ineligibleReasons(candidate("sue", { peerRole: "senior_peer", activeNewcomers: 1 }), newcomer, rules)).toEqual([]);
    expect(ineligibleReasons(candidate("sue", { peerRole: "senior_peer", activeNewcomers: 2 }), newcomer, rules)).toEqual(["at_capacity"]);
    expect(ineligibleReasons(candidate("ben", { activeNewcomers: 1 }), newcomer, rules)).toEqual(["at_capacity"]);
  });
});

describe("ranking", () => {
  it("shared preferences first, then who has rested longest, then who is least busy, at most three", () => {
    const result = rankCandidates(
      newcomer,
      [
        candidate("busy", { peerRole: "senior_peer", activeNewcomers: 1, lastBuddiedOn: "2027-03-15" }),
        candidate("recent", { lastBuddiedOn: "2027-03-01" }),
        candidate("rested", { lastBuddiedOn: "2026-12-20" }),
        candidate("polish", { lastBuddiedOn: "2027-03-10", preferences: { language: "PL" } }),
        candidate("fresh"),
        candidate("new", { programmeStart: "2027-03-01" }),
      ],
      rules,
    );
    expect(result.ranked.map((r) => [r.rank, r.id])).toEqual([
      [1, "polish"],
      [2, "fresh"],
      [3, "rested"],
    ]);
    expect(result.ranked[0]).toMatchObject({ sharedPreferences: ["language"], daysSinceBuddied: 5, daysInProgramme: 104 });
    expect(result.ineligible).toEqual([{ id: "new", reasons: ["too_new"] }]);
  });

  it("with nobody eligible, the ranking is empty and says why", () => {
    const result = rankCandidates(newcomer, [candidate("ben", { peerRole: "none" })], rules);
    expect(result.ranked).toEqual([]);
    expect(result.ineligible).toEqual([{ id: "ben", reasons: ["no_role"] }]);
  });
});
