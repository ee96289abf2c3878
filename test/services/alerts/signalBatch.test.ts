import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { alertsAbout, levelTarget, memberNamed, pairBuddy, reachedSince } from "./helpers.ts";

/**
 * Many check-in windows close in the same minute, and the sweep hands all their signals to the
 * alerts service at once. Each must still get exactly what it would get alone. London, 20:00
 * check-ins that close at 02:00:
 *   max and nia are newcomers with buddies (bea, ben) and miss Monday: a nudge each;
 *   ola has no buddy and misses Monday: nothing to send, nobody alerted;
 *   pip missed Sunday too: the second miss in a row is an alert to her key counsellor;
 *   quin's Sunday and Monday windows both close now (the bot was down on Monday morning): a nudge
 *   to his buddy cy for Sunday, then an alert for Monday, his second miss in a row.
 */

const SUNDAY = "2027-01-03";
const MONDAY = "2027-01-04";
const CLOSE = new Date("2027-01-05T02:00:00Z");

let t: TestApp;
let mark = 0;

async function pendingDay(name: string, localDate: string, dueAt: string, closesAt: string, status: "pending" | "missed" = "pending") {
  const member = await memberNamed(t, name);
  await t.database.prisma.checkin.create({
    data: { memberId: member.id, localDate, dueAt: new Date(dueAt), closesAt: new Date(closesAt), status },
  });
}

const nudgesTo = (name: string) =>
  t.chat.delivered.slice(mark).filter((d) => d.to === name && d.message.title === "A nudge from the house bot");

const signalKeys = async () =>
  (await t.database.prisma.riskSignal.findMany({ select: { dedupKey: true }, orderBy: { dedupKey: "asc" } })).map((s) => s.dedupKey);

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim", { onDuty: true });
  for (const name of ["max", "nia", "ola", "pip", "quin", "bea", "ben", "cy"]) {
    await addResident(t, name, { keyCounsellor: "jo", time: "20:00" });
  }
  await pairBuddy(t, "max", "bea");
  await pairBuddy(t, "nia", "ben");
  await pairBuddy(t, "quin", "cy");
  for (const name of ["max", "nia", "ola", "pip", "quin"]) {
    await pendingDay(name, MONDAY, "2027-01-04T20:00:00Z", "2027-01-05T02:00:00Z");
  }
  await pendingDay("pip", SUNDAY, "2027-01-03T20:00:00Z", "2027-01-04T02:00:00Z", "missed");
  await pendingDay("quin", SUNDAY, "2027-01-03T20:00:00Z", "2027-01-04T02:00:00Z");
  mark = t.chat.delivered.length;
  t.clock.set(CLOSE);
  await t.app.scheduler.sweep(CLOSE);
  await t.deliver();
});
afterAll(async () => {
  await t.close();
});

describe("the minute many windows close together", () => {
  it("each newcomer's buddy is nudged once, about their own newcomer", async () => {
    expect(nudgesTo("bea").map((d) => d.message.text)).toEqual([expect.stringContaining("max hasn't checked in today")]);
    expect(nudgesTo("ben").map((d) => d.message.text)).toEqual([expect.stringContaining("nia hasn't checked in today")]);
    expect(nudgesTo("cy").map((d) => d.message.text)).toEqual([expect.stringContaining("quin hasn't checked in today")]);
  });

  it("a first miss without a buddy sends nothing and alerts nobody, but is still recorded and settled", async () => {
    expect(await alertsAbout(t, "ola")).toEqual([]);
    const ola = await memberNamed(t, "ola");
    const signals = await t.database.prisma.riskSignal.findMany({ where: { memberId: ola.id } });
    expect(signals).toMatchObject([{ kind: "missed_checkin", consumedAt: CLOSE, alertId: null }]);
    expect(t.chat.delivered.slice(mark).filter((d) => d.message.text?.includes("ola"))).toEqual([]);
  });

  it("a second miss in a row is one alert to the key counsellor, for pip and for quin alike", async () => {
    for (const name of ["pip", "quin"]) {
      const alerts = await alertsAbout(t, name);
      expect(alerts).toHaveLength(1);
      const [alert] = alerts;
      expect(alert).toMatchObject({ kind: "missed_checkin", severity: "medium", state: "open", createdAt: CLOSE });
      expect(levelTarget(alert as NonNullable<typeof alert>)).toBe("keyCounsellor");
      expect(reachedSince(t, alert?.id ?? "", mark)).toEqual(["jo"]);
    }
    // Only those two: the first misses went to buddies, not counsellors.
    const toCounsellors = t.chat.delivered.slice(mark).filter((d) => ["jo", "kim", "owner", "staff"].includes(d.to));
    expect(toCounsellors).toHaveLength(2);
    expect(
      t.chat
        .dmsTo("jo")
        .slice(-2)
        .map((d) => d.fields?.find((f) => f.label === "Detail")?.value),
    ).toEqual(
      expect.arrayContaining([`2 check-in(s) missed in a row, last on ${MONDAY}`, `2 check-in(s) missed in a row, last on ${MONDAY}`]),
    );
  });

  it("every signal is settled, the alerts' own tied to their alert, and racing sweeps add nothing", async () => {
    const signals = await t.database.prisma.riskSignal.findMany({ include: { member: true } });
    expect(signals).toHaveLength(6);
    expect(signals.every((s) => s.consumedAt?.getTime() === CLOSE.getTime())).toBe(true);
    const tied = signals
      .filter((s) => s.alertId !== null)
      .map((s) => `${s.member.platformUserId}:${(s.details as { localDate: string }).localDate}`);
    expect(tied.sort()).toEqual([`pip:${MONDAY}`, `quin:${MONDAY}`]);

    const before = { signals: await signalKeys(), outbox: await t.database.prisma.outbox.count() };
    await Promise.all([t.app.scheduler.sweep(CLOSE), t.app.scheduler.sweep(CLOSE)]);
    expect({ signals: await signalKeys(), outbox: await t.database.prisma.outbox.count() }).toEqual(before);
  });
});
