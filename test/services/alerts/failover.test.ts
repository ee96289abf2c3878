import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryError } from "../../../src/core/ports.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { alertAbout, eventKinds, levelTarget, memberNamed, reachedAt, reachedSince, sendsAbout } from "./helpers.ts";

/**
 * A DM that cannot be delivered moves the alert on at once instead of waiting out a timeout
 * nobody can answer; if no counsellor can be reached at all, the staff channel still hears.
 */

let t: TestApp;

const closedDms = () => new DeliveryError("Cannot send messages to this user", { permanent: true, unreachable: true });

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim", { onDuty: true });
  await addCounsellor(t, "lee");
  await addResident(t, "sam", { keyCounsellor: "jo" });
  await addResident(t, "ned", { keyCounsellor: "jo" });
  await addResident(t, "tia", { keyCounsellor: "kim" });
  await addResident(t, "sid");
  await t.database.prisma.member.update({
    where: { id: (await memberNamed(t, "sid")).id },
    data: { peerRole: "senior_peer", onDuty: true },
  });
});
afterAll(async () => {
  await t.close();
});

describe("a counsellor's DM fails", () => {
  it("when the key counsellor's DM fails for good, the on-duty counsellor gets the alert at once, and the failure is on the timeline", async () => {
    t.chat.failSends((to) => to === "jo", closedDms);
    const mark = t.chat.delivered.length;
    await t.chat.command("sam", "checkin", "used 6 2 no");
    await t.deliver();

    const alert = await alertAbout(t, "sam");
    // Still 09:00: no fifteen-minute wait on a DM that can never arrive.
    expect(t.clock.now().toISOString()).toBe("2027-01-04T09:00:00.000Z");
    expect(reachedSince(t, alert.id, mark)).toEqual(["kim"]);
    expect(levelTarget(alert)).toBe("onDutyCounsellors");
    expect(alert.nextEscalationAt?.toISOString()).toBe("2027-01-04T09:15:00.000Z");

    expect(await eventKinds(t, alert.id)).toEqual(["created", "notified", "delivery_failed", "escalated", "notified"]);
    const failure = await t.database.prisma.alertEvent.findFirstOrThrow({ where: { alertId: alert.id, kind: "delivery_failed" } });
    expect(failure.at.toISOString()).toBe("2027-01-04T09:00:00.000Z");
    expect(JSON.stringify(failure.details)).toContain("Cannot send messages to this user");
    const jo = await memberNamed(t, "jo");
    const dead = await t.database.prisma.outbox.findFirstOrThrow({ where: { correlationKey: `alert:${alert.id}`, targetMemberId: jo.id } });
    expect(dead.status).toBe("dead");
  });

  it("the counsellors hear that jo's DMs are closed; residents, even an on-duty senior peer, are never asked about staff", async () => {
    const aboutJo = await alertAbout(t, "jo");
    expect(aboutJo).toMatchObject({ kind: "unreachable", severity: "low", state: "open" });
    expect(levelTarget(aboutJo)).toBe("onDutyCounsellors");
    expect(reachedSince(t, aboutJo.id)).toEqual(["kim"]);
    expect(t.chat.dmsTo("sid")).toEqual([]);
  });

  it("the rest of the ladder carries on from there on its normal timeouts", async () => {
    const alert = await alertAbout(t, "sam");
    expect(await reachedAt(t, "2027-01-04T09:14:00Z", alert.id)).toEqual([]);
    // jo's DMs are closed, so "everyone" is everyone else and the staff channel.
    expect(await reachedAt(t, "2027-01-04T09:15:00Z", alert.id)).toEqual(["kim", "lee", "owner", "staff"]);
  });

  it("a counsellor the bot already knows it cannot reach is skipped without a send", async () => {
    const mark = t.chat.delivered.length;
    await t.chat.command("ned", "checkin", "used 6 2 no");
    await t.deliver();
    const alert = await alertAbout(t, "ned");
    expect(reachedSince(t, alert.id, mark)).toEqual(["kim"]);
    expect(levelTarget(alert)).toBe("onDutyCounsellors");
    const jo = await memberNamed(t, "jo");
    expect(await t.database.prisma.outbox.count({ where: { correlationKey: `alert:${alert.id}`, targetMemberId: jo.id } })).toBe(0);
  });
});

describe("nobody can be reached by DM", () => {
  it("the staff channel gets the alert", async () => {
    t.clock.set("2027-01-04T10:00:00Z");
    t.chat.failSends((to) => ["kim", "lee", "owner"].includes(to), closedDms);
    const mark = t.chat.delivered.length;
    await t.chat.command("tia", "checkin", "used 6 2 no");
    await t.deliver();

    const alert = await alertAbout(t, "tia");
    expect(reachedSince(t, alert.id, mark)).toEqual(["staff"]);
    expect(levelTarget(alert)).toBe("allCounsellorsAndStaffChannel");
    const failures = await t.database.prisma.alertEvent.count({ where: { alertId: alert.id, kind: "delivery_failed" } });
    expect(failures).toBe(3);
    const post = sendsAbout(t, alert.id, mark)[0];
    expect(post?.kind).toBe("channel");
    expect(post?.message.title).toBe("tia needs attention");
  });

  it("and keeps getting it every level timeout until someone acts", async () => {
    const alert = await alertAbout(t, "tia");
    expect(await reachedAt(t, "2027-01-04T10:14:00Z", alert.id)).toEqual([]);
    expect(await reachedAt(t, "2027-01-04T10:15:00Z", alert.id)).toEqual(["staff"]);
    expect(await reachedAt(t, "2027-01-04T10:30:00Z", alert.id)).toEqual(["staff"]);
  });
});

describe("after a re-trigger", () => {
  it("a DM that fails in the new round still moves the alert on at once", async () => {
    await addCounsellor(t, "vic");
    await addResident(t, "uma", { keyCounsellor: "vic" });
    t.chat.clearFailures();
    t.clock.set("2027-01-04T10:40:00Z");
    await t.chat.command("uma", "checkin", "used 6 2 no");
    await t.deliver();
    const alert = await alertAbout(t, "uma");
    t.clock.set("2027-01-04T10:41:00Z");
    await t.chat.press("vic", `al:ack:${alert.id}`);
    await t.deliver();

    // Four hours on, vic's DMs fail (a platform refusal, not closed DMs): the staff channel hears at once.
    t.chat.failSends(
      (to) => to === "vic",
      () => new DeliveryError("Missing Access", { permanent: true }),
    );
    expect(await reachedAt(t, "2027-01-04T14:41:00Z", alert.id)).toEqual(["staff"]);
    const reopened = await alertAbout(t, "uma");
    expect(levelTarget(reopened)).toBe("allCounsellorsAndStaffChannel");
    expect(reopened.nextEscalationAt?.toISOString()).toBe("2027-01-04T14:56:00.000Z");
    const failures = await t.database.prisma.alertEvent.findMany({ where: { alertId: alert.id, kind: "delivery_failed" } });
    expect(failures.map((f) => f.at.toISOString())).toEqual(["2027-01-04T14:41:00.000Z", "2027-01-04T14:41:00.000Z"]);
  });
});
