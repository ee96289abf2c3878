import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BuddyCandidate,
  type BuddyNewcomer,
  capacityOf,
  type MatchRules,
  QUIET_DAYS,
  rankCandidates,
} from "../../../src/domain/buddies/index.ts";
import { addDays, daysBetween } from "../../../src/domain/checkin/index.ts";

const TODAY = "2027-03-15";
const daysAgo = (max: number) => fc.integer({ min: 0, max }).map((n) => addDays(TODAY, -n));
const prefs = fc.dictionary(fc.constantFrom("gender", "language", "smoker"), fc.constantFrom("f", "m", "en", "fr", "yes", "no"), {
  maxKeys: 3,
});

const arbCandidate = (id: string): fc.Arbitrary<BuddyCandidate> =>
  fc.record({
    id: fc.constant(id),
    role: fc.constantFrom("resident", "resident", "resident", "counsellor", "admin"),
    peerRole: fc.constantFrom("none", "buddy_eligible", "senior_peer"),
    status: fc.constantFrom("active", "active", "active", "invited", "paused", "discharged"),
    isBot: fc.constantFrom(false, false, false, true),
    programmeStart: daysAgo(200),
    lastLapseOn: fc.option(daysAgo(60), { nil: null }),
    lastAlertOn: fc.option(daysAgo(60), { nil: null }),
    hasOpenAlert: fc.boolean(),
    activeNewcomers: fc.integer({ min: 0, max: 4 }),
    lastBuddiedOn: fc.option(daysAgo(120), { nil: null }),
    hasOwnBuddy: fc.boolean(),
    preferences: prefs,
  });

/** A house of candidates with unique ids, sometimes including the newcomer themselves. */
const arbHouse = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), { minLength: 0, maxLength: 12 })
  .chain((ids) =>
    fc.record({
      candidates: fc.tuple(...ids.map((id) => arbCandidate(id))),
      newcomer: fc.record({
        id: ids.length ? fc.oneof(fc.constantFrom(...ids), fc.constant("newcomer")) : fc.constant("newcomer"),
        preferences: prefs,
      }),
      rules: fc.record({
        today: fc.constant(TODAY),
        buddyMinDays: fc.integer({ min: 0, max: 90 }),
        buddyCapacity: fc.integer({ min: 1, max: 5 }),
        seniorPeerCapacity: fc.integer({ min: 1, max: 5 }),
        exclude: ids.length ? fc.subarray(ids) : fc.constant([]),
      }),
    }),
  )
  .map(({ candidates, newcomer, rules }) => ({
    candidates: candidates as BuddyCandidate[],
    newcomer: newcomer as BuddyNewcomer,
    rules: rules as MatchRules,
  }));

/** Eligibility written out again from the words, independently of the code under test. */
function eligibleByTheRules(c: BuddyCandidate, newcomer: BuddyNewcomer, rules: MatchRules): boolean {
  const capacity = c.peerRole === "senior_peer" ? rules.seniorPeerCapacity : c.peerRole === "buddy_eligible" ? rules.buddyCapacity : 0;
  const within = (date: string | null) => date !== null && daysBetween(date, rules.today) < QUIET_DAYS;
  return (
    c.id !== newcomer.id &&
    !(rules.exclude ?? []).includes(c.id) &&
    c.role === "resident" &&
    !c.isBot &&
    c.peerRole !== "none" &&
    c.status === "active" &&
    !c.hasOwnBuddy &&
    c.activeNewcomers < capacity &&
    daysBetween(c.programmeStart, rules.today) >= rules.buddyMinDays &&
    !within(c.lastLapseOn) &&
    !within(c.lastAlertOn) &&
    !c.hasOpenAlert
  );
}

describe("matching buddies (properties)", () => {
  it("never pairs a newcomer with themselves", () => {
    fc.assert(
      fc.property(arbHouse, ({ candidates, newcomer, rules }) => {
        expect(rankCandidates(newcomer, candidates, rules).ranked.map((r) => r.id)).not.toContain(newcomer.id);
      }),
    );
  });

  it("never picks an ineligible member, and leaves out no eligible one when there is room", () => {
    fc.assert(
      fc.property(arbHouse, ({ candidates, newcomer, rules }) => {
        const { ranked, ineligible } = rankCandidates(newcomer, candidates, rules);
        const byId = new Map(candidates.map((c) => [c.id, c]));
        for (const r of ranked) {
          const candidate = byId.get(r.id);
          expect(candidate && eligibleByTheRules(candidate, newcomer, rules)).toBe(true);
        }
        for (const i of ineligible) {
          const candidate = byId.get(i.id);
          expect(candidate && eligibleByTheRules(candidate, newcomer, rules)).toBe(false);
          expect(i.reasons.length).toBeGreaterThan(0);
        }
        const eligibleCount = candidates.filter((c) => eligibleByTheRules(c, newcomer, rules)).length;
        expect(ranked).toHaveLength(Math.min(3, eligibleCount));
        expect(ranked.map((r) => r.rank)).toEqual(ranked.map((_, i) => i + 1));
        expect(new Set(ranked.map((r) => r.id)).size).toBe(ranked.length);
      }),
    );
  });

  it("never exceeds anyone's capacity, even when newcomer after newcomer takes the best match", () => {
    fc.assert(
      fc.property(arbHouse, fc.integer({ min: 1, max: 15 }), ({ candidates, rules }, arrivals) => {
        const house = candidates.map((c) => ({ ...c }));
        const assigned = new Map<string, number>();
        for (let n = 0; n < arrivals; n++) {
          const top = rankCandidates({ id: `arrival-${n}`, preferences: {} }, house, rules).ranked[0];
          if (!top) break;
          const buddy = house.find((c) => c.id === top.id);
          if (!buddy) throw new Error("ranked someone who is not in the house");
          buddy.activeNewcomers += 1;
          buddy.lastBuddiedOn = rules.today;
          assigned.set(buddy.id, (assigned.get(buddy.id) ?? 0) + 1);
        }
        for (const original of candidates) {
          const room = Math.max(0, capacityOf(original.peerRole, rules) - original.activeNewcomers);
          expect(assigned.get(original.id) ?? 0).toBeLessThanOrEqual(room);
        }
      }),
    );
  });

  it("is deterministic: the same house in any order gives the same answer", () => {
    fc.assert(
      fc.property(
        arbHouse.chain((house) =>
          fc.record({ house: fc.constant(house), shuffled: fc.shuffledSubarray(house.candidates, { minLength: house.candidates.length }) }),
        ),
        ({ house, shuffled }) => {
          const first = rankCandidates(house.newcomer, house.candidates, house.rules);
          expect(rankCandidates(house.newcomer, house.candidates, house.rules)).toEqual(first);
          expect(rankCandidates(house.newcomer, shuffled, house.rules)).toEqual(first);
        },
      ),
    );
  });

  /** A candidate who passes every rule, to compare two who differ in one thing only. */
  const eligible = (id: string, extra: Partial<BuddyCandidate> = {}): BuddyCandidate => ({
    id,
    role: "resident",
    peerRole: "buddy_eligible",
    status: "active",
    isBot: false,
    programmeStart: addDays(TODAY, -90),
    lastLapseOn: null,
    lastAlertOn: null,
    hasOpenAlert: false,
    activeNewcomers: 0,
    lastBuddiedOn: null,
    hasOwnBuddy: false,
    preferences: {},
    ...extra,
  });
  const rules: MatchRules = { today: TODAY, buddyMinDays: 30, buddyCapacity: 1, seniorPeerCapacity: 2 };
  // Prefixed so they never collide with the newcomer "n" or the candidate "never".
  const ids = fc.uniqueArray(fc.stringMatching(/^c-[a-z]{1,6}$/), { minLength: 2, maxLength: 2 });

  it("prefers someone who shares the newcomer's stated preference", () => {
    fc.assert(
      fc.property(ids, fc.constantFrom("en", "pl", "es"), ([a = "a", b = "b"], language) => {
        const newcomer = { id: "n", preferences: { language } };
        const sharing = eligible(a, { preferences: { language } });
        const other = eligible(b, { preferences: { language: "xx" } });
        expect(rankCandidates(newcomer, [other, sharing], rules).ranked.map((r) => r.id)).toEqual([a, b]);
      }),
    );
  });

  it("prefers someone who has not buddied recently", () => {
    fc.assert(
      fc.property(ids, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 300 }), ([a = "a", b = "b"], older, gap) => {
        const rested = eligible(a, { lastBuddiedOn: addDays(TODAY, -(older + gap)) });
        const recent = eligible(b, { lastBuddiedOn: addDays(TODAY, -older) });
        const never = eligible("never");
        const order = rankCandidates({ id: "n", preferences: {} }, [recent, rested, never], rules).ranked.map((r) => r.id);
        expect(order).toEqual(["never", a, b]);
      }),
    );
  });
});
