import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryError } from "../../../src/core/ports.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { alertAbout, alertsAbout, changeSettings, levelTarget, memberNamed, pairBuddy, reachedSince, wordsOf } from "./helpers.ts";

/**
 * Each risk signal a resident gives (or the silence the bot notices) becomes the right alert,
 * at the right severity, for the right first person. All on Monday 4 January 2027, London.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim", { onDuty: true });
});
afterAll(async () => {
  await t.close();
});

describe("answers in the check-in", () => {
  it("when a resident reports use, their key counsellor gets a high alert DM with Acknowledge and Resolve", async () => {
    await addResident(t, "sam", { keyCounsellor: "jo", time: "20:00" });
    const mark = t.chat.delivered.length;
    await t.chat.command("sam", "checkin", "used 3 4 yes");
    await t.deliver();

    const alert = await alertAbout(t, "sam");
    expect(alert).toMatchObject({ kind: "reported_use", severity: "high", state: "open" });
    expect(levelTarget(alert)).toBe("keyCounsellor");
    expect(alert.nextEscalationAt?.toISOString()).toBe("2027-01-04T09:15:00.000Z");

    expect(reachedSince(t, alert.id, mark)).toEqual(["jo"]);
    const [dm] = t.chat.dmsTo("jo").slice(-1);
    expect(dm?.title).toBe("sam needs attention");
    expect(wordsOf(dm)).toContain("What: Reported use today");
    expect(wordsOf(dm)).toContain("Severity: high");
    expect(wordsOf(dm)).toContain("Detail: Reported use on 2027-01-04");
    const buttons = (dm?.buttons ?? []).flat();
    expect(buttons.map((b) => [b.label, b.actionId])).toEqual(
      expect.arrayContaining([
        ["Acknowledge", `al:ack:${alert.id}`],
        ["Resolve", `al:res:${alert.id}`],
      ]),
    );
    expect(t.chat.dmsTo("kim")).toHaveLength(0);
  });

  it("a craving at the house threshold (8) is a medium alert; one below it (7) raises nothing at all", async () => {
    await addResident(t, "cara", { keyCounsellor: "jo" });
    await addResident(t, "cole", { keyCounsellor: "jo" });
    await t.chat.command("cara", "checkin", "struggling 8 3 no");
    await t.chat.command("cole", "checkin", "struggling 7 3 no");
    await t.deliver();

    const cara = await alertAbout(t, "cara");
    expect(cara).toMatchObject({ kind: "high_craving", severity: "medium", state: "open" });
    expect(levelTarget(cara)).toBe("keyCounsellor");
    expect(wordsOf(t.chat.dmsTo("jo").at(-1))).toContain("Craving 8 of 10 (house threshold 8)");

    expect(await alertsAbout(t, "cole")).toHaveLength(0);
    const cole = await memberNamed(t, "cole");
    expect(await t.database.prisma.riskSignal.count({ where: { memberId: cole.id } })).toBe(0);
  });

  it("the threshold is the house's: after a house lowers it to 6, the same craving of 7 alerts", async () => {
    await changeSettings(t, { cravingThreshold: 6 });
    await t.chat.command("cole", "checkin", "craving:7");
    await t.deliver();
    expect(await alertAbout(t, "cole")).toMatchObject({ kind: "high_craving", severity: "medium" });
    await changeSettings(t, { cravingThreshold: 8 });
  });
});

describe("asking for help", () => {
  it("crisis words in a DM are a critical alert that starts with the key counsellor on a 5-minute clock", async () => {
    await addResident(t, "cas", { keyCounsellor: "jo" });
    const mark = t.chat.delivered.length;
    await t.chat.dm("cas", "honestly I can't go on like this");
    await t.deliver();

    const alert = await alertAbout(t, "cas");
    expect(alert).toMatchObject({ kind: "crisis_words", severity: "critical", state: "open" });
    expect(levelTarget(alert)).toBe("keyCounsellor");
    expect(alert.nextEscalationAt?.toISOString()).toBe("2027-01-04T09:05:00.000Z");
    expect(reachedSince(t, alert.id, mark)).toEqual(["jo"]);
    expect(t.chat.dmsTo("jo").at(-1)?.title).toBe("URGENT: cas needs attention");
  });

  it("/sos asks to confirm first: 'No, I'm okay' raises nothing, the confirm button raises a critical alert", async () => {
    await addResident(t, "sue", { keyCounsellor: "jo" });
    const asked = await t.chat.command("sue", "sos");
    const choices = (asked.replies[0]?.buttons ?? []).flat().map((b) => b.actionId);
    expect(choices).toEqual(["sos:confirm", "sos:cancel"]);
    await t.deliver();
    expect(await alertsAbout(t, "sue")).toHaveLength(0);

    await t.chat.press("sue", "sos:cancel");
    await t.deliver();
    expect(await alertsAbout(t, "sue")).toHaveLength(0);

    const mark = t.chat.delivered.length;
    await t.chat.press("sue", "sos:confirm");
    await t.deliver();
    const alert = await alertAbout(t, "sue");
    expect(alert).toMatchObject({ kind: "sos", severity: "critical", state: "open" });
    expect(levelTarget(alert)).toBe("keyCounsellor");
    expect(reachedSince(t, alert.id, mark)).toEqual(["jo"]);
    expect(wordsOf(t.chat.dmsTo("jo").at(-1))).toContain('What: Pressed "I need help now"');
  });
});

describe("silence the bot notices", () => {
  it("a resident the bot cannot reach is a low alert that goes first to their buddy and the on-duty senior peer", async () => {
    await addResident(t, "ben");
    await addResident(t, "sid");
    const sid = await memberNamed(t, "sid");
    await t.database.prisma.member.update({ where: { id: sid.id }, data: { peerRole: "senior_peer", onDuty: true } });
    // Ria's check-in is due at 09:05, and her DMs are closed.
    await addResident(t, "ria", { keyCounsellor: "jo", time: "09:05" });
    await pairBuddy(t, "ria", "ben");
    t.chat.failSends(
      (to) => to === "ria",
      () => new DeliveryError("Cannot send messages to this user", { permanent: true, unreachable: true }),
    );

    const mark = t.chat.delivered.length;
    t.clock.set("2027-01-04T09:05:00Z");
    await t.tick();

    expect((await memberNamed(t, "ria")).reachable).toBe(false);
    const alert = await alertAbout(t, "ria");
    expect(alert).toMatchObject({ kind: "unreachable", severity: "low", state: "open" });
    expect(levelTarget(alert)).toBe("peer");
    expect(reachedSince(t, alert.id, mark)).toEqual(["ben", "sid"]);
    const nudge = t.chat.dmsTo("ben").at(-1);
    expect(nudge?.title).toBe("A nudge from the house bot");
    expect(nudge?.text).toContain("can't reach ria by direct message");
    // Peers are asked to look in, never told the details counsellors see.
    expect(wordsOf(nudge)).not.toMatch(/Severity|Detail/);

    const later = t.chat.delivered.length;
    t.clock.set("2027-01-04T09:20:00Z");
    await t.tick();
    expect(reachedSince(t, alert.id, later)).toEqual(["jo"]);
    expect(levelTarget(await alertAbout(t, "ria"))).toBe("keyCounsellor");
  });

  it("when the key counsellor acknowledges, the buddy's nudge is updated to say so, still without the counsellors' details", async () => {
    const alert = await alertAbout(t, "ria");
    const mark = t.chat.delivered.length;
    await t.chat.press("jo", `al:ack:${alert.id}`);
    await t.deliver();
    const updates = t.chat.delivered.slice(mark).filter((d) => d.kind === "update");
    const toPeers = updates.filter((u) => u.to === "dm-ben" || u.to === "dm-sid");
    expect(toPeers.map((u) => u.to).sort()).toEqual(["dm-ben", "dm-sid"]);
    for (const update of toPeers) {
      expect(update.message.text).toBe("jo is looking in on ria. Thank you.");
      expect(wordsOf(update.message)).not.toMatch(/Severity|Detail|What:/);
      expect(update.message.buttons ?? []).toEqual([]);
    }
    expect(updates.find((u) => u.to === "dm-jo")?.message.text).toMatch(/^Acknowledged by jo at /);
  });
});
