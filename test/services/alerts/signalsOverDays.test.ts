import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCounsellor, addResident, runUntil } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { alertAbout, alertsAbout, levelTarget, pairBuddy, reachedSince } from "./helpers.ts";

/**
 * Signals that only show over days: a very low mood twice running, and check-ins that go
 * unanswered. Check-ins are due at 20:00 London and close six hours later, at 02:00.
 *   Mon 4 Jan  09:00 mo answers with mood 1; bea (max's buddy) answers too
 *   Tue 5 Jan  02:00 max's first check-in closes unanswered
 *   Tue 5 Jan  09:00 mo answers with mood 1 again; bea answers
 *   Wed 6 Jan  02:00 max's second check-in closes unanswered
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim", { onDuty: true });
  await addResident(t, "mo", { keyCounsellor: "jo", time: "20:00" });
  await addResident(t, "max", { keyCounsellor: "jo", time: "20:00" });
  await addResident(t, "bea", { keyCounsellor: "kim", time: "20:00" });
  await pairBuddy(t, "max", "bea");
  await t.chat.command("bea", "checkin", "steady 1 4 yes");
});
afterAll(async () => {
  await t.close();
});

describe("three days in the house: low moods and missed check-ins", () => {
  it("one day at mood 1 is recorded but raises no alert", async () => {
    await t.chat.command("mo", "checkin", "struggling 4 1 no");
    await t.deliver();
    expect(await alertsAbout(t, "mo")).toHaveLength(0);
  });

  it("the first missed check-in nudges the buddy, and nobody is alerted", async () => {
    const mark = t.chat.delivered.length;
    await runUntil(t, "2027-01-05T02:01:00Z");

    const missed = await t.database.prisma.checkin.findFirstOrThrow({ where: { member: { platformUserId: "max" } } });
    expect(missed).toMatchObject({ localDate: "2027-01-04", status: "missed" });

    const nudges = t.chat.delivered.slice(mark).filter((d) => d.to === "bea" && d.message.title === "A nudge from the house bot");
    expect(nudges).toHaveLength(1);
    expect(nudges[0]?.message.text).toContain("max hasn't checked in today");
    // The buddy is asked to say hello, never shown answers.
    expect(nudges[0]?.message.text).toContain("No need to ask about their answers");

    expect(await alertsAbout(t, "max")).toHaveLength(0);
    const toCounsellors = t.chat.delivered.slice(mark).filter((d) => ["jo", "kim", "owner", "staff"].includes(d.to));
    expect(toCounsellors).toHaveLength(0);
  });

  it("mood 1 again the next day is a medium alert for the key counsellor", async () => {
    await runUntil(t, "2027-01-05T09:00:00Z");
    await t.chat.command("bea", "checkin", "steady 1 4 yes");
    const mark = t.chat.delivered.length;
    await t.chat.command("mo", "checkin", "struggling 4 1 no");
    await t.deliver();

    const alert = await alertAbout(t, "mo");
    expect(alert).toMatchObject({ kind: "low_mood", severity: "medium", state: "open" });
    expect(alert.createdAt.toISOString()).toBe("2027-01-05T09:00:00.000Z");
    expect(levelTarget(alert)).toBe("keyCounsellor");
    expect(reachedSince(t, alert.id, mark)).toEqual(["jo"]);
    expect(t.chat.dmsTo("jo").at(-1)?.fields).toContainEqual({ label: "What", value: "Very low mood two days running" });
  });

  it("the second missed check-in in a row is a medium alert to the key counsellor, at the moment the window closes", async () => {
    const mark = t.chat.delivered.length;
    await runUntil(t, "2027-01-06T02:01:00Z");

    const alerts = await alertsAbout(t, "max");
    expect(alerts).toHaveLength(1);
    const alert = await alertAbout(t, "max");
    expect(alert).toMatchObject({ kind: "missed_checkin", severity: "medium", state: "open" });
    expect(alert.createdAt.toISOString()).toBe("2027-01-06T02:00:00.000Z");
    expect(levelTarget(alert)).toBe("keyCounsellor");
    expect(reachedSince(t, alert.id, mark)).toEqual(["jo"]);
    expect(t.chat.dmsTo("jo").at(-1)?.fields).toContainEqual({
      label: "Detail",
      value: "2 check-in(s) missed in a row, last on 2027-01-05",
    });
    // Medium alerts skip the peer level: the buddy was nudged once, on the first miss, and not again.
    const nudges = t.chat.delivered.slice(mark).filter((d) => d.to === "bea" && d.message.title === "A nudge from the house bot");
    expect(nudges).toHaveLength(0);
  });
});
