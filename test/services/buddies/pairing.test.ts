import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp, testCipher } from "../../support/testApp.ts";
import { changeSettings } from "../alerts/helpers.ts";
import { actionIds, addBuddy, lastDm, memberNamed, words } from "./helpers.ts";

/** Pairing by hand, unpairing, leaving, and every kind of bad input. Monday 4 January 2027, London. */

let t: TestApp;

const pairings = (newcomer: string) =>
  t.database.prisma.buddyPairing.findMany({
    where: { newcomer: { platformUserId: newcomer } },
    include: { buddy: true },
    orderBy: { createdAt: "asc" },
  });
const activeBuddyOf = async (newcomer: string) =>
  (await pairings(newcomer)).find((p) => p.status === "active")?.buddy.platformUserId ?? null;

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z", platform: "console" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addBuddy(t, "ben", { preferences: "language=pl" });
  await addBuddy(t, "dan", { programmeStart: "2026-06-01" });
  await addBuddy(t, "sue", { role: "senior-peer", programmeStart: "2026-03-01" });
  await addBuddy(t, "tom", { programmeStart: "2026-12-20" });
  await t.chat.command("cal", "help");
  await t.database.prisma.member.create({
    data: { houseId: (await memberNamed(t, "jo")).houseId, platformUserId: "helperbot", displayName: "helperbot", isBot: true },
  });
});
afterAll(async () => {
  await t.close();
});

describe("proposals", () => {
  it("ranks at most three eligible residents: a shared preference first, then who has never buddied; the too-new are left out", async () => {
    await t.chat.command("jo", "intake", "@ava 2026-12-28 preferences:language=pl");
    await t.deliver();
    const proposal = lastDm(t, "jo", "A buddy for ava");
    expect(proposal?.fields?.map((f) => f.label)).toEqual(["1. ben", "2. sue", "3. dan"]);
    expect(words(proposal)).toMatch(/1\. ben: buddy, 95 days in the programme, has not buddied before, shares: language/);
    expect(words(proposal)).not.toMatch(/tom/);
    expect(actionIds(proposal)).toHaveLength(3);
  });
});

describe("/pair and its refusals", () => {
  const unchanged = async () =>
    expect(await pairings("ava")).toSatisfy((rows: Array<{ status: string }>) => rows.every((r) => r.status === "proposed"));

  it("a resident may not run /pair", async () => {
    expect(textOf(await t.chat.command("cal", "pair", "@ava @ben"))).toMatch(/\/pair is for counsellors/);
    await unchanged();
  });

  it("mentioning a bot, someone unknown, a counsellor or the newcomer twice is refused, and nothing changes", async () => {
    expect(textOf(await t.chat.command("jo", "pair", "@ava @helperbot"))).toMatch(
      /The buddy is a bot, not a resident. Nothing was changed/,
    );
    expect(textOf(await t.chat.command("jo", "pair", "@ava @nobody"))).toMatch(/The buddy isn't a resident of this house that I know/);
    expect(textOf(await t.chat.command("jo", "pair", "@nobody @ben"))).toMatch(/The newcomer isn't a resident/);
    expect(textOf(await t.chat.command("jo", "pair", "@ava @jo"))).toMatch(/The buddy is on the staff/);
    expect(textOf(await t.chat.command("jo", "pair", "@ava @ava"))).toMatch(/can't be their own buddy/);
    expect(textOf(await t.chat.command("jo", "pair", "@ava"))).toMatch(/buddy should mention a person|Usage: \/pair <@newcomer> <@buddy>/);
    await unchanged();
  });

  it("someone without the role is refused, with the suggestion to grant it", async () => {
    const answer = textOf(await t.chat.command("jo", "pair", "@ava @cal"));
    expect(answer).toMatch(/cal can't buddy right now: cal does not hold the buddy or senior peer role; .*Nothing was changed/);
    expect(answer).toMatch(/grant the role with \/peer-role/);
    await unchanged();
  });

  it("a counsellor may name someone the proposals left out, and is told what to keep in mind", async () => {
    const answer = textOf(await t.chat.command("jo", "pair", "@ava @tom"));
    expect(answer).toMatch(/tom is now ava's buddy, until Wed 3 Feb. I've introduced them/);
    expect(answer).toMatch(/Worth knowing: tom has not been in the programme long enough yet/);
    await t.deliver();
    expect(await activeBuddyOf("ava")).toBe("tom");
    expect((await pairings("ava")).map((p) => p.status).sort()).toEqual(["active", "declined", "declined", "declined"]);
    expect(words(lastDm(t, "tom", "You're a buddy"))).toMatch(/You're ava's buddy/);
  });

  it("a newcomer who already has a buddy is refused, and a stale proposal cannot be confirmed", async () => {
    expect(textOf(await t.chat.command("jo", "pair", "@ava @ben"))).toMatch(
      /ava already has a buddy, tom. If that should change, use \/unpair first/,
    );
    const [oldConfirm] = actionIds(t.chat.dmsTo("jo").find((m) => m.title === "A buddy for ava" && m.buttons));
    expect(textOf(await t.chat.press("jo", oldConfirm ?? ""))).toMatch(/out of date/);
    expect(await activeBuddyOf("ava")).toBe("tom");
  });
});

describe("/unpair", () => {
  it("ends the pairing, tells both kindly without the reason, and proposes someone new", async () => {
    const mark = t.chat.delivered.length;
    const answer = textOf(await t.chat.command("jo", "unpair", "@ava SECRET-REASON not a good fit"));
    expect(answer).toMatch(/ava and tom are no longer paired. Both have been told kindly, without your reason/);
    expect(answer).toMatch(/Suggested buddies are in your DMs, best match first: ben, sue, dan/);
    await t.deliver();
    const since = t.chat.delivered.slice(mark);
    expect(since.some((d) => words(d.message).includes("SECRET-REASON"))).toBe(false);
    expect(words(lastDm(t, "tom", "Thank you"))).toMatch(/Your time as ava's buddy has ended. Thank you for the time you gave them/);
    expect(words(lastDm(t, "ava", "Your buddy"))).toMatch(
      /tom won't be your buddy any more. A counsellor will introduce you to a new buddy soon/,
    );
    // The reason is kept, encrypted, for counsellors.
    const audit = await t.database.prisma.auditLog.findFirstOrThrow({ where: { action: "buddy.pairing_ended" }, orderBy: { at: "desc" } });
    const { reasonCipher } = audit.details as { reasonCipher: string };
    expect(reasonCipher).not.toContain("SECRET");
    expect(testCipher.decrypt(reasonCipher)).toBe("SECRET-REASON not a good fit");
  });

  it("naming someone without a buddy is a clear refusal", async () => {
    expect(textOf(await t.chat.command("jo", "unpair", "@ben no reason"))).toMatch(/ben doesn't have a buddy right now/);
  });
});

describe("leaving the house", () => {
  it("when the buddy is discharged, the newcomer is told and a new buddy is proposed", async () => {
    const [first] = actionIds(lastDm(t, "jo", "A buddy for ava"));
    await t.chat.press("jo", first ?? "");
    expect(await activeBuddyOf("ava")).toBe("ben");
    const answer = textOf(await t.chat.command("jo", "discharge", "@ben moved to a new home"));
    expect(answer).toMatch(/ben is discharged. Their check-ins and reminders have stopped, and their history is kept/);
    expect(answer).toMatch(/I've proposed a new buddy for ava/);
    await t.deliver();
    expect(await activeBuddyOf("ava")).toBeNull();
    expect(words(lastDm(t, "ava", "Your buddy"))).toMatch(
      /ben is no longer staying at the house, so they can't be your buddy any more. A counsellor will introduce you/,
    );
    expect(lastDm(t, "jo", "A buddy for ava")?.fields?.map((f) => f.label)).toEqual(["1. sue", "2. dan"]);
    const ben = await memberNamed(t, "ben");
    expect(ben).toMatchObject({ status: "discharged", nextCheckinAt: null });
    expect(ben.dischargeReason).not.toContain("moved");
    expect(testCipher.decrypt(ben.dischargeReason ?? "")).toBe("moved to a new home");
    expect((await pairings("ava")).find((p) => p.buddyId === ben.id && p.status === "ended")?.endReason).toBe("buddy_left");
  });

  it("when the newcomer is discharged, the buddy is thanked and nobody new is proposed", async () => {
    await t.chat.command("jo", "pair", "@ava @sue");
    const mark = t.chat.dmsTo("jo").length;
    await t.chat.command("jo", "discharge", "@ava left the programme");
    await t.deliver();
    expect(words(lastDm(t, "sue", "Thank you"))).toMatch(/ava is no longer staying at the house, so your time as their buddy has ended/);
    expect(
      t.chat
        .dmsTo("jo")
        .slice(mark)
        .filter((m) => m.title === "A buddy for ava"),
    ).toHaveLength(0);
    expect(words(t.chat.dmsTo("ava").at(-1))).toMatch(/your check-ins and reminders have stopped/);
    expect(textOf(await t.chat.command("jo", "discharge", "@ava again"))).toMatch(/already been discharged/);
    expect(textOf(await t.chat.command("jo", "pair", "@ava @dan"))).toMatch(/The newcomer has been discharged/);
  });
});

describe("capacity and automatic confirmation", () => {
  it("the house may confirm the best match automatically; a senior peer buddies up to two, a buddy one", async () => {
    await changeSettings(t, { autoConfirmBuddy: true });
    await t.chat.command("jo", "intake", "@eve");
    await t.chat.command("jo", "intake", "@fay");
    const third = textOf(await t.chat.command("jo", "intake", "@gus"));
    await t.deliver();
    // dan has never buddied; sue buddied ava until today.
    expect(await activeBuddyOf("eve")).toBe("dan");
    expect(await activeBuddyOf("fay")).toBe("sue");
    expect(await activeBuddyOf("gus")).toBe("sue");
    expect(third).toMatch(/sue is their buddy: the house confirms the best match automatically/);
    expect(words(lastDm(t, "jo", "A buddy for gus"))).toMatch(/sue is now gus's buddy: the house confirms the best match automatically/);
    const hal = textOf(await t.chat.command("jo", "intake", "@hal"));
    expect(hal).toMatch(
      /couldn't find a buddy for hal: nobody with a peer role can buddy right now \(already buddying, new to the programme\)/,
    );
    expect(textOf(await t.chat.command("jo", "pair", "@hal @sue"))).toMatch(/sue already buddies as many newcomers as their role allows/);
    await changeSettings(t, { autoConfirmBuddy: false });
  });
});

describe("a senior peer with two newcomers", () => {
  it("/buddy asks which newcomer a message is for, and sends it to the one named", async () => {
    expect(textOf(await t.chat.command("sue", "buddy", "how are you both?"))).toMatch(/You buddy fay and gus. Say who the message is for/);
    const listed = await t.chat.command("sue", "buddy");
    expect(textOf(listed)).toMatch(/You're buddy to fay.*\nYou're buddy to gus/s);
    expect((listed.replies[0]?.buttons ?? []).flat().map((b) => b.label)).toEqual(["Ask fay to get in touch", "Ask gus to get in touch"]);
    expect(textOf(await t.chat.command("sue", "buddy", "to:@gus fancy a walk later?"))).toMatch(/Sent to gus/);
    await t.deliver();
    expect(lastDm(t, "gus", "sue, your buddy, sent you a message")?.text).toBe("fancy a walk later?");
    expect(t.chat.dmsTo("fay").some((m) => m.title === "sue, your buddy, sent you a message")).toBe(false);
  });

  it("the get-in-touch button sends a ping with no words of its own", async () => {
    const pairing = await t.database.prisma.buddyPairing.findFirstOrThrow({
      where: { status: "active", newcomer: { platformUserId: "fay" } },
    });
    expect(textOf(await t.chat.press("fay", `bud:ping:${pairing.id}`))).toMatch(/Sent to sue/);
    await t.deliver();
    expect(lastDm(t, "sue", "fay, your newcomer, would like to talk")?.text).toBe(
      "No message, just a nudge: fay would like to hear from you.",
    );
    // Someone outside the pairing cannot use its button.
    expect(textOf(await t.chat.press("gus", `bud:ping:${pairing.id}`))).toMatch(/That button isn't for you/);
  });
});

describe("lapse sharing", () => {
  it("without the newcomer's consent, a lapse stays with the counsellors: the buddy hears nothing", async () => {
    await t.chat.press("eve", "consent:agree");
    await t.chat.command("eve", "checkin", "used 6 2 no");
    await t.deliver();
    expect(t.chat.dmsTo("dan").some((m) => m.title === "About eve")).toBe(false);
    expect(await t.database.prisma.alert.count({ where: { subject: { platformUserId: "eve" }, kind: "reported_use" } })).toBe(1);
  });

  it("/buddy-consent turns it on, and the next lapse reaches the buddy once, without details", async () => {
    expect(textOf(await t.chat.command("eve", "buddy-consent", "on"))).toMatch(/I'll let dan know it's been a hard day/);
    t.clock.set("2027-01-05T12:00:00Z");
    await t.chat.command("eve", "checkin", "used 6 2 no");
    await t.chat.command("eve", "checkin", "used 7 2 no");
    await t.deliver();
    const notes = t.chat.dmsTo("dan").filter((m) => m.title === "About eve");
    expect(notes).toHaveLength(1);
    expect(words(notes[0])).not.toMatch(/craving|mood|6|7/);
    expect(textOf(await t.chat.command("eve", "buddy-consent", "off"))).toMatch(/dan won't be told/);
  });
});
