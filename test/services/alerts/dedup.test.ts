import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { alertAbout, alertsAbout, eventKinds, reachedSince } from "./helpers.ts";

/**
 * One open alert per resident and kind: repeated signals join its timeline instead of paging
 * counsellors again; once it is resolved, the next signal opens a new alert.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim", { onDuty: true });
  await addResident(t, "cas", { keyCounsellor: "jo" });
  await addResident(t, "sam", { keyCounsellor: "jo" });
});
afterAll(async () => {
  await t.close();
});

describe("one open alert per resident and kind", () => {
  it("a second crisis message and then /sos join the open crisis alert as 'signal' events, with no new DMs", async () => {
    await t.chat.dm("cas", "I can't go on");
    await t.deliver();
    const alert = await alertAbout(t, "cas");
    const mark = t.chat.delivered.length;

    t.clock.set("2027-01-04T09:02:00Z");
    const again = await t.chat.dm("cas", "seriously i want to die");
    // The resident is still shown the numbers every time.
    expect(again.replies[0]?.text).toMatch(/^Samaritans: 116 123/);
    t.clock.set("2027-01-04T09:03:00Z");
    await t.chat.command("cas", "sos");
    await t.chat.press("cas", "sos:confirm");
    await t.deliver();

    expect(await alertsAbout(t, "cas")).toHaveLength(1);
    expect(await eventKinds(t, alert.id)).toEqual(["created", "notified", "signal", "signal"]);
    const signals = await t.database.prisma.riskSignal.findMany({ where: { alertId: alert.id }, orderBy: { occurredAt: "asc" } });
    expect(signals.map((s) => s.kind)).toEqual(["crisis_words", "crisis_words", "sos"]);
    expect(reachedSince(t, alert.id, mark)).toEqual([]);
    expect(t.chat.delivered.slice(mark).filter((d) => d.to === "jo" || d.to === "kim")).toEqual([]);
    // The escalation clock is the first signal's, not pushed back by the later ones.
    expect((await alertAbout(t, "cas")).nextEscalationAt?.toISOString()).toBe("2027-01-04T09:05:00.000Z");
  });

  it("different kinds for the same resident are separate alerts: reported use and a high craving", async () => {
    await t.chat.command("sam", "checkin", "used 9 2 no");
    await t.deliver();
    const alerts = await alertsAbout(t, "sam");
    expect(alerts.map((a) => [a.kind, a.severity]).sort()).toEqual([
      ["high_craving", "medium"],
      ["reported_use", "high"],
    ]);
  });

  it("answering the same check-in again does not record the same signal twice", async () => {
    const alert = await alertAbout(t, "sam", "reported_use");
    const mark = t.chat.delivered.length;
    await t.chat.command("sam", "checkin", "used 9 2 no");
    await t.deliver();
    expect(await alertsAbout(t, "sam")).toHaveLength(2);
    expect(await eventKinds(t, alert.id)).toEqual(["created", "notified"]);
    expect(t.chat.delivered.slice(mark)).toEqual([]);
  });

  it("after the alert is resolved, a new crisis opens a new alert and pages the key counsellor again", async () => {
    const first = await alertAbout(t, "cas");
    const firstTimeline = await eventKinds(t, first.id);
    t.clock.set("2027-01-04T09:20:00Z");
    await t.chat.press("jo", `al:ack:${first.id}`);
    await t.chat.submit("jo", `alres:${first.id}`, { outcome: "Called cas, safety plan in place" });
    await t.deliver();
    const closedTimeline = await eventKinds(t, first.id);
    expect(closedTimeline).toEqual([...firstTimeline, "acknowledged", "resolved"]);

    t.clock.set("2027-01-04T18:00:00Z");
    const mark = t.chat.delivered.length;
    await t.chat.dm("cas", "i want to end it all");
    await t.deliver();

    const alerts = await alertsAbout(t, "cas");
    expect(alerts.map((a) => a.state)).toEqual(["resolved", "open"]);
    const second = alerts[1];
    expect(second?.id).not.toBe(first.id);
    expect(second?.createdAt.toISOString()).toBe("2027-01-04T18:00:00.000Z");
    expect(reachedSince(t, second?.id ?? "", mark)).toEqual(["jo"]);
    // The resolved alert's timeline is closed: the new crisis is not added to it.
    expect(await eventKinds(t, first.id)).toEqual(closedTimeline);
  });
});
