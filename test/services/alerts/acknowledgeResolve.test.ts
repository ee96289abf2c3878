import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alert } from "../../../src/generated/prisma/client.ts";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp, testCipher } from "../../support/testApp.ts";
import { alertAbout, eventKinds, memberNamed, reachedAt, wordsOf } from "./helpers.ts";

/**
 * Acknowledge tells everyone else who was paged that someone is on it; Resolve closes the alert
 * with a short outcome, kept encrypted. Nothing moves an alert backwards, and buttons pressed by
 * the wrong person, for a missing alert or a second time are refused in plain words.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim", { onDuty: true });
  await addCounsellor(t, "lee");
  await addResident(t, "sam", { keyCounsellor: "jo" });
  await addResident(t, "ali", { keyCounsellor: "jo" });
});
afterAll(async () => {
  await t.close();
});

/** The fields that must never change when a button is refused. */
const stateOf = (a: Alert) => [a.state, a.level, a.loop, a.acknowledgedById, a.resolvedById, a.outcome, a.nextEscalationAt, a.retriggerAt];

describe("acknowledge and resolve", () => {
  it("when kim acknowledges, every copy sent so far is updated to 'Acknowledged by kim at …' and the escalation stops", async () => {
    await t.chat.command("sam", "checkin", "used 6 2 no");
    await t.deliver();
    const alert = await alertAbout(t, "sam");
    await reachedAt(t, "2027-01-04T09:15:00Z", alert.id);
    await reachedAt(t, "2027-01-04T09:30:00Z", alert.id);

    t.clock.set("2027-01-04T09:31:00Z");
    const mark = t.chat.delivered.length;
    const pressed = await t.chat.press("kim", `al:ack:${alert.id}`);
    expect(pressed.updates[0]?.text).toBe("Acknowledged by kim at Mon 4 Jan, 09:31.");
    await t.deliver();

    const updates = t.chat.delivered.slice(mark).filter((d) => d.kind === "update");
    // jo had two copies (levels 1 and 3), kim two (levels 2 and 3), lee, owner and the staff channel one each.
    expect(updates.map((u) => u.to).sort()).toEqual(["dm-jo", "dm-jo", "dm-kim", "dm-kim", "dm-lee", "dm-owner", "staff"]);
    for (const update of updates) {
      expect(update.message.text).toContain("Acknowledged by kim at Mon 4 Jan, 09:31.");
      const labels = (update.message.buttons ?? []).flat().map((b) => b.label);
      expect(labels).not.toContain("Acknowledge");
      expect(labels).toContain("Resolve");
    }
    // The staff channel's copy stays free of what was reported.
    expect(wordsOf(updates.find((u) => u.to === "staff")?.message)).not.toMatch(/Reported use|Detail/);
    expect(t.chat.delivered.slice(mark).filter((d) => d.kind !== "update")).toEqual([]);

    const acknowledged = await alertAbout(t, "sam");
    const kim = await memberNamed(t, "kim");
    expect(acknowledged).toMatchObject({ state: "acknowledged", acknowledgedById: kim.id, nextEscalationAt: null });
    const event = await t.database.prisma.alertEvent.findFirstOrThrow({ where: { alertId: alert.id, kind: "acknowledged" } });
    expect(event.actorId).toBe(kim.id);
    expect(await reachedAt(t, "2027-01-04T09:45:00Z", alert.id)).toEqual([]);
  });

  it("Resolve asks for a short outcome, keeps it encrypted, and updates every copy to 'Resolved by jo'", async () => {
    const alert = await alertAbout(t, "sam");
    t.clock.set("2027-01-04T09:50:00Z");
    const asked = await t.chat.press("jo", `al:res:${alert.id}`);
    expect(asked.forms[0]?.formId).toBe(`alres:${alert.id}`);
    expect(asked.forms[0]?.fields.map((f) => [f.id, f.required])).toEqual([["outcome", true]]);

    const mark = t.chat.delivered.length;
    const outcome = "Sat with sam for an hour; went to the evening meeting together";
    const done = await t.chat.submit("jo", `alres:${alert.id}`, { outcome });
    expect(textOf(done)).toBe("Resolved. Reported use today alert closed at Mon 4 Jan, 09:50.");
    await t.deliver();

    const resolved = await alertAbout(t, "sam");
    const jo = await memberNamed(t, "jo");
    expect(resolved).toMatchObject({ state: "resolved", resolvedById: jo.id, openDedupKey: null, retriggerAt: null });
    expect(resolved.outcome).not.toContain("evening meeting");
    expect(testCipher.decrypt(resolved.outcome ?? "")).toBe(outcome);

    const updates = t.chat.delivered.slice(mark).filter((d) => d.kind === "update");
    expect(updates).toHaveLength(7);
    for (const update of updates) {
      expect(update.message.text).toContain("Resolved by jo at Mon 4 Jan, 09:50.");
      expect(JSON.stringify(update.message)).not.toContain("evening meeting");
      expect((update.message.buttons ?? []).flat().map((b) => b.label)).toEqual(["Resident summary"]);
    }
  });

  it("a resolved alert stays resolved: no escalation, no re-trigger, and Acknowledge is refused", async () => {
    const alert = await alertAbout(t, "sam");
    const before = stateOf(alert);
    // Past the four hours after which an acknowledged alert would have re-triggered.
    expect(await reachedAt(t, "2027-01-04T13:31:00Z", alert.id)).toEqual([]);
    expect(await reachedAt(t, "2027-01-04T14:00:00Z", alert.id)).toEqual([]);

    const again = await t.chat.press("kim", `al:ack:${alert.id}`);
    expect(textOf(again)).toBe("That alert is already resolved.");
    expect(stateOf(await alertAbout(t, "sam"))).toEqual(before);
    expect((await eventKinds(t, alert.id)).filter((k) => k === "acknowledged" || k === "resolved")).toEqual(["acknowledged", "resolved"]);
  });
});

describe("bad input", () => {
  it("a resident pressing Acknowledge on someone else's alert (a forwarded button) is refused, and nothing changes", async () => {
    t.clock.set("2027-01-04T15:00:00Z");
    await t.chat.command("sam", "checkin", "craving:9");
    await t.deliver();
    const alert = await alertAbout(t, "sam", "high_craving");
    const before = stateOf(alert);

    expect(textOf(await t.chat.press("ali", `al:ack:${alert.id}`))).toBe("That alert isn't yours to handle.");
    // Nor may the resident it is about acknowledge it.
    expect(textOf(await t.chat.press("sam", `al:ack:${alert.id}`))).toBe("That alert isn't yours to handle.");
    // Nor resolve it through the form, nor read the resident summary.
    expect(textOf(await t.chat.submit("ali", `alres:${alert.id}`, { outcome: "all fine" }))).toBe("That form isn't for you.");
    expect(textOf(await t.chat.press("ali", `al:sum:${alert.id}`))).toBe("That alert isn't yours to handle.");

    expect(stateOf(await alertAbout(t, "sam", "high_craving"))).toEqual(before);
    expect(await eventKinds(t, alert.id)).toEqual(["created", "notified"]);
  });

  it("an alert id that does not exist is refused for every button", async () => {
    expect(textOf(await t.chat.press("jo", "al:ack:no-such-alert"))).toBe("That alert doesn't exist.");
    expect(textOf(await t.chat.submit("jo", "alres:no-such-alert", { outcome: "done" }))).toBe("That alert doesn't exist.");
    expect(textOf(await t.chat.press("jo", "al:sum:no-such-alert"))).toBe("That alert doesn't exist.");
  });

  it("acknowledging twice keeps the first acknowledgement and its re-trigger time", async () => {
    const alert = await alertAbout(t, "sam", "high_craving");
    await t.chat.press("jo", `al:ack:${alert.id}`);
    const first = stateOf(await alertAbout(t, "sam", "high_craving"));
    t.clock.set("2027-01-04T15:10:00Z");
    expect(textOf(await t.chat.press("kim", `al:ack:${alert.id}`))).toBe("Someone has already acknowledged that alert.");
    expect(stateOf(await alertAbout(t, "sam", "high_craving"))).toEqual(first);
  });

  it("an empty outcome is asked for again, and resolving twice keeps the first resolution", async () => {
    const alert = await alertAbout(t, "sam", "high_craving");
    expect(textOf(await t.chat.submit("kim", `alres:${alert.id}`, { outcome: "   " }))).toMatch(/Please say briefly what happened/);
    expect((await alertAbout(t, "sam", "high_craving")).state).toBe("acknowledged");

    await t.chat.submit("jo", `alres:${alert.id}`, { outcome: "Talked it through" });
    const resolved = stateOf(await alertAbout(t, "sam", "high_craving"));
    expect(textOf(await t.chat.submit("kim", `alres:${alert.id}`, { outcome: "Also talked" }))).toBe("That alert is already resolved.");
    expect(stateOf(await alertAbout(t, "sam", "high_craving"))).toEqual(resolved);
    expect(testCipher.decrypt((await alertAbout(t, "sam", "high_craving")).outcome ?? "")).toBe("Talked it through");
  });
});

describe("/alerts", () => {
  it("lists open alerts for counsellors with the same buttons, and is not for residents", async () => {
    t.clock.set("2027-01-04T16:00:00Z");
    await t.chat.command("ali", "checkin", "used 3 3 yes");
    await t.deliver();
    const alert = await alertAbout(t, "ali");
    const listed = await t.chat.command("kim", "alerts");
    expect(listed.replies.map((m) => m.title)).toEqual(["ali needs attention"]);
    expect((listed.replies[0]?.buttons ?? []).flat().map((b) => b.actionId)).toEqual([
      `al:ack:${alert.id}`,
      `al:res:${alert.id}`,
      `al:sum:${alert.id}`,
    ]);
    expect(textOf(await t.chat.command("ali", "alerts"))).toMatch(/^\/alerts is for counsellors/);
  });
});
