import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { report } from "../support/reliability/checks.ts";
import { live, verifyTimeline, withoutSweepers } from "../support/reliability/life.ts";
import { addCounsellor, addResident } from "../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../support/testApp.ts";

/**
 * A whole year of bot time for a resident whose check-in is at 01:30 in London: a time the clock
 * change skips on 28 March and repeats on 31 October. Every simulated day costs a few steps of the
 * real minute sweep, so by default the year runs this one resident and dstMonth.test.ts runs 20
 * residents in six zones through the spring clock changes. RELIABILITY_LONG=1 adds Sydney (02:30,
 * skipped on 3 October and repeated on 4 April), New York (02:30, skipped on 14 March) and Kolkata
 * (no clock change) to the year.
 */
const LONG = process.env.RELIABILITY_LONG === "1";
const RESIDENTS = [
  { name: "london", zone: "Europe/London", time: "01:30" },
  ...(LONG
    ? [
        { name: "sydney", zone: "Australia/Sydney", time: "02:30" },
        { name: "newyork", zone: "America/New_York", time: "02:30" },
        { name: "kolkata", zone: "Asia/Kolkata", time: "20:00" },
      ]
    : []),
];
const FROM = new Date("2027-01-01T00:00:00Z");
const UNTIL = new Date("2028-01-01T00:00:00Z");

describe(`a simulated year (${RESIDENTS.map((r) => r.zone).join(", ")})`, () => {
  let t: TestApp;
  const residents: Array<{ id: string; name: string; time: string; zone: string }> = [];

  beforeAll(async () => {
    t = await createTestApp({ start: FROM.toISOString() });
    withoutSweepers(t, ["digests"]);
    await setUpHouse(t);
    await addCounsellor(t, "kim", { onDuty: true });
    for (const r of RESIDENTS) {
      const member = await addResident(t, r.name, { time: r.time, timezone: r.zone, keyCounsellor: "kim" });
      residents.push({ id: member.id, ...r });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it("gives each resident exactly one check-in per local day, and no reminder or escalation early or twice", async () => {
    const started = Date.now();
    const { figures } = await live(t, UNTIL, { afterReminder: 0.03, used: 0.01, silent: 0.04, acknowledge: 0.5, resolve: 0.5, seed: 365 });
    const findings = await verifyTimeline(t, residents, { from: FROM, until: UNTIL });
    expect(findings).toEqual([]);
    const checkins = await t.database.prisma.checkin.groupBy({ by: ["memberId"], _count: { _all: true } });
    // 365 local days each: 1 January to 31 December of 2027 in every zone.
    expect(checkins.map((c) => c._count._all)).toEqual(RESIDENTS.map(() => 365));
    expect(figures.missed).toBeGreaterThan(0);
    expect(figures.alerts).toBeGreaterThan(0);
    report("simulated year", {
      residents: RESIDENTS.length,
      days: 365,
      ...figures,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  }, 240_000);
});
