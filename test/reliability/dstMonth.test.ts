import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { report } from "../support/reliability/checks.ts";
import { live, verifyTimeline, withoutSweepers } from "../support/reliability/life.ts";
import { addCounsellor, addResident } from "../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../support/testApp.ts";

/**
 * Twenty residents in six zones through the spring clock changes of 2027: New York springs forward
 * on 14 March, London on 28 March, and Sydney, Auckland and Santiago fall back on 4 April
 * (Santiago at midnight, so 23:30 on 3 April happens twice). Some check-in times sit in those
 * gaps and overlaps; most residents share an evening time with others in their zone, as they would
 * in a house, which keeps the number of distinct instants (and so simulation steps) down.
 */
const RESIDENTS: Array<{ zone: string; time: string }> = [
  { zone: "Europe/London", time: "01:30" },
  ...Array.from({ length: 3 }, () => ({ zone: "Europe/London", time: "20:00" })),
  { zone: "America/New_York", time: "02:30" },
  ...Array.from({ length: 3 }, () => ({ zone: "America/New_York", time: "20:00" })),
  { zone: "Australia/Sydney", time: "02:30" },
  ...Array.from({ length: 2 }, () => ({ zone: "Australia/Sydney", time: "20:00" })),
  ...Array.from({ length: 3 }, () => ({ zone: "Asia/Kolkata", time: "20:00" })),
  ...Array.from({ length: 3 }, () => ({ zone: "Pacific/Auckland", time: "20:00" })),
  ...Array.from({ length: 3 }, () => ({ zone: "America/Santiago", time: "23:30" })),
];
const FROM = new Date("2027-03-12T00:00:00Z");
const UNTIL = new Date("2027-04-06T00:00:00Z");

describe("a simulated month for 20 residents in six zones, across the spring clock changes", () => {
  let t: TestApp;
  const residents: Array<{ id: string; name: string; time: string; zone: string }> = [];

  beforeAll(async () => {
    t = await createTestApp({ start: FROM.toISOString() });
    withoutSweepers(t, ["digests"]);
    await setUpHouse(t);
    await addCounsellor(t, "kim", { onDuty: true });
    await addCounsellor(t, "lee");
    for (const [i, r] of RESIDENTS.entries()) {
      const name = `resident${i}`;
      const member = await addResident(t, name, { time: r.time, timezone: r.zone, keyCounsellor: i % 2 ? "kim" : "lee" });
      residents.push({ id: member.id, name, ...r });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it("gives each resident exactly one check-in per local day, and no reminder or escalation early or twice", async () => {
    const started = Date.now();
    const { figures } = await live(t, UNTIL, { afterReminder: 0.1, used: 0.03, silent: 0.12, acknowledge: 0.7, resolve: 0.7, seed: 2027 });
    const findings = await verifyTimeline(t, residents, { from: FROM, until: UNTIL });
    expect(findings).toEqual([]);
    expect(figures.reminders).toBeGreaterThan(0);
    expect(figures.alerts).toBeGreaterThan(0);
    report("simulated month", {
      residents: RESIDENTS.length,
      zones: 6,
      days: 25,
      ...figures,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  }, 180_000);
});
