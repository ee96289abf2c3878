import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultEscalationPolicy } from "../../../src/domain/houseSettings.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { alertAbout, changeSettings, EVERY_COUNSELLOR_AND_STAFF, eventKinds, levelTarget, reachedAt, sendsAbout } from "./helpers.ts";

/**
 * An acknowledged alert that nobody resolves starts again after four hours, and an alert keeps
 * the escalation policy it was created with, whatever the house changes later.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim", { onDuty: true });
  await addCounsellor(t, "lee");
  await addResident(t, "ros", { keyCounsellor: "jo" });
  await addResident(t, "pat", { keyCounsellor: "jo" });
  await addResident(t, "pia", { keyCounsellor: "jo" });
});
afterAll(async () => {
  await t.close();
});

describe("re-trigger after acknowledgement", () => {
  it("an acknowledged but unresolved alert goes quiet, then starts again from the key counsellor after 4 hours", async () => {
    await t.chat.command("ros", "checkin", "used 6 2 no");
    await t.deliver();
    const alert = await alertAbout(t, "ros");

    t.clock.set("2027-01-04T09:02:00Z");
    await t.chat.press("jo", `al:ack:${alert.id}`);
    await t.deliver();
    const acknowledged = await alertAbout(t, "ros");
    expect(acknowledged).toMatchObject({ state: "acknowledged", nextEscalationAt: null });
    expect(acknowledged.retriggerAt?.toISOString()).toBe("2027-01-04T13:02:00.000Z");

    // Quiet while someone is on it: no escalation at 09:15 or 09:30, nor a minute before the re-trigger.
    expect(await reachedAt(t, "2027-01-04T09:15:00Z", alert.id)).toEqual([]);
    expect(await reachedAt(t, "2027-01-04T09:30:00Z", alert.id)).toEqual([]);
    expect(await reachedAt(t, "2027-01-04T13:01:00Z", alert.id)).toEqual([]);

    // Four hours after the acknowledgement it is open again and walks the ladder from the top.
    expect(await reachedAt(t, "2027-01-04T13:02:00Z", alert.id)).toEqual(["jo"]);
    const again = await alertAbout(t, "ros");
    expect(again).toMatchObject({ state: "open", loop: 0 });
    expect(levelTarget(again)).toBe("keyCounsellor");
    expect(again.nextEscalationAt?.toISOString()).toBe("2027-01-04T13:17:00.000Z");
    expect(t.chat.dmsTo("jo").at(-1)?.text).toMatch(/^Open again: acknowledged by jo at .* but not resolved\.$/);
    expect(await eventKinds(t, alert.id)).toContain("retriggered");

    expect(await reachedAt(t, "2027-01-04T13:17:00Z", alert.id)).toEqual(["kim"]);
    expect(await reachedAt(t, "2027-01-04T13:32:00Z", alert.id)).toEqual(EVERY_COUNSELLOR_AND_STAFF);
  });

  it("acknowledged again, it re-triggers again four hours later", async () => {
    const alert = await alertAbout(t, "ros");
    t.clock.set("2027-01-04T13:40:00Z");
    await t.chat.press("kim", `al:ack:${alert.id}`);
    await t.deliver();
    expect((await alertAbout(t, "ros")).retriggerAt?.toISOString()).toBe("2027-01-04T17:40:00.000Z");
    expect(await reachedAt(t, "2027-01-04T17:40:00Z", alert.id)).toEqual(["jo"]);
    expect(await reachedAt(t, "2027-01-04T17:55:00Z", alert.id)).toEqual(["kim"]);
    await t.chat.submit("jo", `alres:${alert.id}`, { outcome: "Met ros, plan agreed" });
  });
});

describe("the policy an alert was created with", () => {
  it("an open alert keeps escalating on the old timeouts after the house changes its policy; a new alert uses the new one", async () => {
    t.clock.set("2027-01-05T09:00:00Z");
    await t.chat.command("pat", "checkin", "used 6 2 no");
    await t.deliver();
    const before = await alertAbout(t, "pat");

    await changeSettings(t, {
      escalation: {
        ...defaultEscalationPolicy,
        levels: defaultEscalationPolicy.levels.map((level) => ({ ...level, timeoutMinutes: 60 })),
        criticalTimeoutMinutes: 30,
        loops: 1,
      },
    });
    const mark = t.chat.delivered.length;
    await t.chat.command("pia", "checkin", "used 6 2 no");
    await t.deliver();
    const after = await alertAbout(t, "pia");
    expect(sendsAbout(t, after.id, mark).map((d) => d.to)).toEqual(["jo"]);
    expect(after.nextEscalationAt?.toISOString()).toBe("2027-01-05T10:00:00.000Z");

    // Pat's alert: still 15 minutes a level and three loops, as when it was created.
    expect(await reachedAt(t, "2027-01-05T09:15:00Z", before.id)).toEqual(["kim"]);
    expect(await reachedAt(t, "2027-01-05T09:30:00Z", before.id)).toEqual(EVERY_COUNSELLOR_AND_STAFF);
    expect(await reachedAt(t, "2027-01-05T09:45:00Z", before.id)).toEqual(["jo"]);
    expect(await alertAbout(t, "pat")).toMatchObject({ loop: 1, state: "open" });

    // Pia's alert: an hour a level, once round.
    expect(await reachedAt(t, "2027-01-05T09:59:00Z", after.id)).toEqual([]);
    expect(await reachedAt(t, "2027-01-05T10:00:00Z", after.id)).toEqual(["kim"]);
    expect(await reachedAt(t, "2027-01-05T11:00:00Z", after.id)).toEqual(EVERY_COUNSELLOR_AND_STAFF);
    expect(await reachedAt(t, "2027-01-05T12:00:00Z", after.id)).toEqual(EVERY_COUNSELLOR_AND_STAFF);
    expect(await eventKinds(t, after.id)).toContain("exhausted");
    expect(await eventKinds(t, before.id)).not.toContain("exhausted");
  });
});
