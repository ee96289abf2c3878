import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, runUntil } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { actionIds, answerOpenCheckins, lastDm, memberNamed, words } from "./helpers.ts";

/**
 * A newcomer's first month with a buddy, from intake to the pairing's natural end. Monday
 * 4 January 2027, 09:00 in London; the console platform, so people go by the names they typed.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z", platform: "console" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
});
afterAll(async () => {
  await t.close();
});

describe("a newcomer's first month with a buddy", () => {
  it("with nobody holding a peer role, intake says so and suggests granting one", async () => {
    const answer = await t.chat.command("jo", "intake", "@ben 2026-09-20 2026-10-01");
    expect(textOf(answer)).toMatch(/ben is taken in/);
    expect(textOf(answer)).toMatch(/couldn't find a buddy for ben: nobody in the house holds the buddy or senior peer role yet/);
    expect(textOf(answer)).toMatch(/\/peer-role @name buddy/);
    await t.deliver();
    expect(words(lastDm(t, "jo", "A buddy for ben"))).toMatch(/couldn't find a buddy for ben/);
  });

  it("a counsellor grants the buddy role, with the reason kept and a kind DM", async () => {
    await t.chat.press("ben", "consent:agree");
    const granted = await t.chat.command("jo", "peer-role", "@ben buddy steady and kind, 90 days in");
    expect(textOf(granted)).toMatch(/ben is now a buddy. I've let them know kindly/);
    await t.deliver();
    expect(words(lastDm(t, "ben", "A new role"))).toMatch(/jo has asked you to be a buddy/);
  });

  it("intake creates the newcomer, records their dates, and sends the consent welcome; nothing is scheduled", async () => {
    const answer = await t.chat.command("jo", "intake", "@ava 2026-12-20 2027-01-04 20:00");
    expect(textOf(answer)).toMatch(/ava is taken in/);
    expect(textOf(answer)).toMatch(/Nothing is scheduled until they agree/);
    expect(textOf(answer)).toMatch(/Suggested buddies are in your DMs, best match first: ben/);
    await t.deliver();

    const ava = await memberNamed(t, "ava");
    expect(ava).toMatchObject({
      status: "invited",
      nextCheckinAt: null,
      consentAt: null,
      sobrietyDate: "2026-12-20",
      programmeStart: "2027-01-04",
      checkinTime: "20:00",
      keyCounsellorId: (await memberNamed(t, "jo")).id,
    });
    const events = await t.database.prisma.sobrietyEvent.findMany({ where: { memberId: ava.id } });
    expect(events.map((e) => [e.kind, e.date, e.createdAt.toISOString()])).toEqual([
      ["date_set", "2026-12-20", "2027-01-04T09:00:00.000Z"],
    ]);

    const welcome = lastDm(t, "ava", "Before we start");
    expect(words(welcome)).toMatch(/Your buddy never sees your answers/);
    expect(actionIds(welcome)).toEqual(["consent:agree", "consent:later"]);
  });

  it("the counsellor is sent the ranked proposal with a Confirm button", async () => {
    const proposal = lastDm(t, "jo", "A buddy for ava");
    expect(words(proposal)).toMatch(/1\. ben: buddy, 95 days in the programme, has not buddied before/);
    const proposed = await t.database.prisma.buddyPairing.findMany({ where: { newcomer: { platformUserId: "ava" } } });
    expect(proposed.map((p) => [p.status, p.rank])).toEqual([["proposed", 1]]);
    expect(actionIds(proposal)).toEqual([`bp:ok:${proposed[0]?.id}`]);
  });

  it("the newcomer agrees, and only then is their first check-in scheduled", async () => {
    await t.chat.press("ava", "consent:agree");
    expect((await memberNamed(t, "ava")).nextCheckinAt?.toISOString()).toBe("2027-01-04T20:00:00.000Z");
  });

  it("the counsellor confirms, and both get an introduction: the buddy with a checklist", async () => {
    const [confirm] = actionIds(lastDm(t, "jo", "A buddy for ava"));
    const answer = await t.chat.press("jo", confirm ?? "");
    expect(textOf(answer)).toMatch(/ben is ava's buddy until Wed 3 Feb, confirmed by jo/);
    await t.deliver();

    const pairing = await t.database.prisma.buddyPairing.findFirstOrThrow({ where: { newcomer: { platformUserId: "ava" } } });
    expect(pairing).toMatchObject({
      status: "active",
      activeNewcomerId: pairing.newcomerId,
      approvedById: (await memberNamed(t, "jo")).id,
    });
    expect(pairing.plannedEndAt?.toISOString()).toBe("2027-02-03T09:00:00.000Z");

    const forBuddy = words(lastDm(t, "ben", "You're a buddy"));
    expect(forBuddy).toMatch(/You're ava's buddy until Wed 3 Feb/);
    expect(forBuddy).toMatch(/Introduce ava to others in the house/);
    expect(forBuddy).toMatch(/Show them the meeting list/);
    expect(forBuddy).toMatch(/Check in on them once a day/);
    expect(forBuddy).toMatch(/You won't see their check-in answers/);

    const forNewcomer = lastDm(t, "ava", "Your buddy");
    expect(words(forNewcomer)).toMatch(/Meet your buddy, ben/);
    expect(words(forNewcomer)).toMatch(/never your answers/);
    expect(actionIds(forNewcomer)).toEqual(["bud:share:on", "bud:share:off"]);

    // The counsellor's proposal now says who was chosen, so nobody confirms it twice.
    const settled = t.chat.delivered.filter((d) => d.kind === "update" && d.message.title === "A buddy for ava");
    expect(settled.map((d) => d.message.text)).toEqual(["ben is ava's buddy, confirmed by jo."]);
    expect(textOf(await t.chat.press("jo", confirm ?? ""))).toMatch(/Already done: ben is ava's buddy/);
  });

  it("the newcomer says their buddy may hear of a lapse", async () => {
    const answer = await t.chat.press("ava", "bud:share:on");
    expect(textOf(answer)).toMatch(/I'll let ben know it's been a hard day, never your answers/);
    expect((await memberNamed(t, "ava")).shareLapseWithBuddy).toBe(true);
  });

  it("when the newcomer misses a check-in, the buddy is asked to look in, without any answers, and no counsellor is alerted", async () => {
    const before = t.chat.dmsTo("jo").length;
    await runUntil(t, "2027-01-05T02:01:00Z", () => answerOpenCheckins(t, ["ben"]));
    const missed = await t.database.prisma.checkin.findFirstOrThrow({
      where: { member: { platformUserId: "ava" }, localDate: "2027-01-04" },
    });
    expect(missed.status).toBe("missed");
    const nudges = t.chat.dmsTo("ben").filter((m) => m.title === "A nudge from the house bot");
    expect(nudges).toHaveLength(1);
    expect(words(nudges[0])).toMatch(/ava hasn't checked in today. Could you look in on them/);
    expect(words(nudges[0])).not.toMatch(/craving|mood|note/i);
    expect(t.chat.dmsTo("jo").slice(before)).toHaveLength(0);
    expect(await t.database.prisma.alert.count()).toBe(0);
  });

  it("/buddy shows each of them who the other is", async () => {
    expect(textOf(await t.chat.command("ava", "buddy"))).toMatch(/Your buddy is ben, until Wed 3 Feb/);
    expect(textOf(await t.chat.command("ben", "buddy"))).toMatch(/You're buddy to ava, until Wed 3 Feb/);
  });

  it("the newcomer pings their buddy at night; the buddy answers with a button", async () => {
    await runUntil(t, "2027-01-05T23:30:00Z", () => answerOpenCheckins(t, ["ava", "ben"]));
    const sent = await t.chat.command("ava", "buddy", "rough evening, can we talk?");
    expect(textOf(sent)).toMatch(/Sent to ben/);
    await t.deliver();
    const ping = lastDm(t, "ben", "ava, your newcomer, would like to talk");
    expect(ping?.text).toBe("rough evening, can we talk?");
    const buttons = (ping?.buttons ?? []).flat();
    expect(buttons.map((b) => b.label)).toEqual(["On my way", "Call me", "Talk later"]);

    const answered = await t.chat.press("ben", buttons[0]?.actionId ?? "");
    expect(textOf(answered)).toMatch(/I've told ava you're on your way/);
    await t.deliver();
    expect(words(lastDm(t, "ava", "ben answered"))).toBe("ben answered\nben is on their way.");
    // Somebody else's button does nothing.
    expect(textOf(await t.chat.press("jo", buttons[1]?.actionId ?? ""))).toMatch(/isn't for you/);
  });

  it("pings are limited per pair, with a clear message, and free again after half an hour", async () => {
    await t.chat.command("ben", "buddy", "on my way, ten minutes");
    await t.chat.command("ava", "buddy", "thank you");
    const limited = await t.chat.command("ava", "buddy", "are you close?");
    expect(textOf(limited)).toMatch(/holding this one to avoid a flood. You can send another from 00:00. If you need help now, type \/sos/);
    const pairing = await t.database.prisma.buddyPairing.findFirstOrThrow({ where: { status: "active" } });
    expect(await t.database.prisma.buddyPing.count({ where: { pairingId: pairing.id } })).toBe(3);
    await t.deliver();
    expect(t.chat.dmsTo("ben").filter((m) => m.title === "ava, your newcomer, would like to talk")).toHaveLength(2);

    t.clock.set("2027-01-06T00:00:00Z");
    expect(textOf(await t.chat.command("ava", "buddy", "are you close?"))).toMatch(/Sent to ben/);
  });

  it("a lapse the newcomer reports reaches the buddy as a kind note with no details, because they agreed", async () => {
    await runUntil(t, "2027-01-06T20:05:00Z", () => answerOpenCheckins(t, ["ben"]));
    await t.chat.command("ava", "checkin", "used 9 1 no note:PRIVATE-NOTE");
    await t.deliver();
    const note = lastDm(t, "ben", "About ava");
    expect(words(note)).toMatch(/ava has had a lapse, and they wanted you to know. There are no details/);
    expect(words(note)).not.toMatch(/PRIVATE-NOTE|craving|mood|9/);
    expect(t.chat.dmsTo("ben").some((m) => words(m).includes("PRIVATE-NOTE"))).toBe(false);
  });

  it("after 30 days the pairing ends by itself, with a thank-you to the buddy, once", async () => {
    const jo = t.chat.dmsTo("jo").length;
    await runUntil(t, "2027-02-03T09:01:00Z", () => answerOpenCheckins(t, ["ava", "ben"]));
    const pairing = await t.database.prisma.buddyPairing.findFirstOrThrow({
      where: { newcomer: { platformUserId: "ava" }, status: "ended" },
    });
    expect(pairing).toMatchObject({ endReason: "completed", activeNewcomerId: null });
    expect(pairing.endedAt?.toISOString()).toBe("2027-02-03T09:00:00.000Z");
    expect(words(lastDm(t, "ben", "Thank you"))).toMatch(/Your 30 days as ava's buddy are complete. Thank you for helping them settle in/);
    expect(words(lastDm(t, "ava", "Your buddy"))).toMatch(/Your first weeks with ben as your buddy are complete/);
    // A full month with a buddy: no new proposal.
    expect(
      t.chat
        .dmsTo("jo")
        .slice(jo)
        .filter((m) => m.title === "A buddy for ava"),
    ).toHaveLength(0);

    const count = t.chat.delivered.length;
    await t.app.services.buddies.sweep(t.clock.now());
    await t.tick();
    expect(t.chat.delivered.length).toBe(count);
    expect(textOf(await t.chat.command("ava", "buddy"))).toMatch(/You don't have a buddy right now/);
  });
});
