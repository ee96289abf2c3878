import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { alertAbout, EVERY_COUNSELLOR_AND_STAFF, eventKinds, levelTarget, reachedAt, sendsAbout, wordsOf } from "./helpers.ts";

/**
 * The default policy, walked step by step on the fake clock: key counsellor (jo), then the
 * on-duty counsellors (kim), then every counsellor and admin (jo, kim, lee, owner) and the staff
 * channel; 15 minutes a level (5 when critical), three loops, then a final notice.
 */

let t: TestApp;
const ALL = EVERY_COUNSELLOR_AND_STAFF;

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim", { onDuty: true });
  await addCounsellor(t, "lee");
  await addResident(t, "sam", { keyCounsellor: "jo" });
  await addResident(t, "cas", { keyCounsellor: "jo" });
});
afterAll(async () => {
  await t.close();
});

/** [instant (London = UTC in January), who hears about the alert at exactly that instant] */
type Step = [string, string[]];

async function walk(alertId: string, steps: Step[]): Promise<void> {
  for (const [instant, expected] of steps) {
    expect({ at: instant, reached: await reachedAt(t, instant, alertId) }).toEqual({ at: instant, reached: expected });
  }
}

describe("a high alert nobody acknowledges", () => {
  it("climbs key counsellor → on-duty → everyone + staff channel every 15 minutes, three times round, then a final notice", async () => {
    const mark = t.chat.delivered.length;
    await t.chat.command("sam", "checkin", "used 5 2 no");
    await t.deliver();
    const alert = await alertAbout(t, "sam");
    expect(sendsAbout(t, alert.id, mark).map((d) => d.to)).toEqual(["jo"]);

    await walk(alert.id, [
      ["2027-01-04T09:14:00Z", []],
      ["2027-01-04T09:15:00Z", ["kim"]],
      ["2027-01-04T09:29:00Z", []],
      ["2027-01-04T09:30:00Z", ALL],
      // loop 2
      ["2027-01-04T09:44:00Z", []],
      ["2027-01-04T09:45:00Z", ["jo"]],
      ["2027-01-04T10:00:00Z", ["kim"]],
      ["2027-01-04T10:15:00Z", ALL],
      // loop 3
      ["2027-01-04T10:30:00Z", ["jo"]],
      ["2027-01-04T10:45:00Z", ["kim"]],
      ["2027-01-04T11:00:00Z", ALL],
      // the ladder is exhausted: one last notice to every counsellor and the staff channel, then quiet
      ["2027-01-04T11:14:00Z", []],
      ["2027-01-04T11:15:00Z", ALL],
      ["2027-01-04T11:30:00Z", []],
      ["2027-01-04T12:00:00Z", []],
    ]);

    const final = await alertAbout(t, "sam");
    expect(final).toMatchObject({ state: "open", loop: 2, nextEscalationAt: null });
    expect(t.chat.dmsTo("lee").at(-1)?.title).toBe("Unanswered alert");
    expect(t.chat.dmsTo("lee").at(-1)?.text).toContain("Nobody has acknowledged the alert about sam after every escalation step");
    const kinds = await eventKinds(t, alert.id);
    expect(kinds.filter((k) => k === "notified")).toHaveLength(9);
    expect(kinds.filter((k) => k === "escalated")).toHaveLength(9);
    expect(kinds.at(-1)).toBe("exhausted");
  });

  it("the staff channel copy says who and how urgent, never what was reported", async () => {
    const alert = await alertAbout(t, "sam");
    const posts = sendsAbout(t, alert.id).filter((d) => d.kind === "channel");
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      expect(post.to).toBe("staff");
      expect(wordsOf(post.message)).not.toMatch(/Reported use|Detail|What:/);
    }
    const alertPost = posts.find((p) => p.message.title === "sam needs attention");
    expect(wordsOf(alertPost?.message)).toContain("Severity: high");
  });
});

describe("a critical alert nobody acknowledges", () => {
  it("climbs the same ladder on 5-minute timeouts", async () => {
    t.clock.set("2027-01-04T13:00:00Z");
    const mark = t.chat.delivered.length;
    await t.chat.dm("cas", "I want to end it all");
    await t.deliver();
    const alert = await alertAbout(t, "cas");
    expect(alert.severity).toBe("critical");
    expect(sendsAbout(t, alert.id, mark).map((d) => d.to)).toEqual(["jo"]);

    await walk(alert.id, [
      ["2027-01-04T13:04:00Z", []],
      ["2027-01-04T13:05:00Z", ["kim"]],
      ["2027-01-04T13:09:00Z", []],
      ["2027-01-04T13:10:00Z", ALL],
      ["2027-01-04T13:15:00Z", ["jo"]],
      ["2027-01-04T13:20:00Z", ["kim"]],
      ["2027-01-04T13:25:00Z", ALL],
      ["2027-01-04T13:30:00Z", ["jo"]],
      ["2027-01-04T13:35:00Z", ["kim"]],
      ["2027-01-04T13:40:00Z", ALL],
      ["2027-01-04T13:44:00Z", []],
      ["2027-01-04T13:45:00Z", ALL],
      ["2027-01-04T14:00:00Z", []],
    ]);
    expect(await alertAbout(t, "cas")).toMatchObject({ state: "open", nextEscalationAt: null });
  });

  it("a new signal on an alert whose ladder ran out starts it again from the key counsellor, and each step is on the alert", async () => {
    const exhausted = await alertAbout(t, "cas");
    t.clock.set("2027-01-04T15:00:00Z");
    const mark = t.chat.delivered.length;
    await t.chat.command("cas", "sos");
    await t.chat.press("cas", "sos:confirm");
    await t.deliver();

    // Still one crisis alert, but it is paging again: the resident was told their counsellor knows.
    const restarted = await alertAbout(t, "cas");
    expect(restarted.id).toBe(exhausted.id);
    expect((await eventKinds(t, restarted.id)).slice(-3)).toEqual(["signal", "retriggered", "notified"]);
    expect(sendsAbout(t, restarted.id, mark).map((d) => [d.to, d.message.title])).toEqual([["jo", "URGENT: cas needs attention"]]);

    const where = async () => {
      const a = await alertAbout(t, "cas");
      return [levelTarget(a), a.loop, a.nextEscalationAt?.toISOString()];
    };
    expect(await where()).toEqual(["keyCounsellor", 0, "2027-01-04T15:05:00.000Z"]);
    expect(await reachedAt(t, "2027-01-04T15:05:00Z", restarted.id)).toEqual(["kim"]);
    expect(await where()).toEqual(["onDutyCounsellors", 0, "2027-01-04T15:10:00.000Z"]);
    expect(await reachedAt(t, "2027-01-04T15:10:00Z", restarted.id)).toEqual(ALL);
    expect(await where()).toEqual(["allCounsellorsAndStaffChannel", 0, "2027-01-04T15:15:00.000Z"]);
    expect(await reachedAt(t, "2027-01-04T15:15:00Z", restarted.id)).toEqual(["jo"]);
    expect(await where()).toEqual(["keyCounsellor", 1, "2027-01-04T15:20:00.000Z"]);
  });
});
