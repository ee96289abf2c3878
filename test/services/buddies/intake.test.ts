import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident, runUntil } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { lastDm, memberNamed, words } from "./helpers.ts";

/** Intake and discharge on Discord, where a mention is a numeric user id. Monday 4 January 2027, London. */

let t: TestApp;
const NEWCOMER = "112233445566778899";

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z", platform: "discord" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
});
afterAll(async () => {
  await t.close();
});

describe("/intake", () => {
  it("someone who has never spoken to the bot gets a record, a placeholder name and the welcome by DM", async () => {
    const answer = await t.chat.commandWithOptions("jo", "intake", { user: NEWCOMER, "sobriety-date": "2027-01-01" });
    expect(textOf(answer)).toMatch(/New resident 8899 is taken in/);
    await t.deliver();
    const member = await memberNamed(t, NEWCOMER);
    expect(member).toMatchObject({ status: "invited", role: "resident", programmeStart: "2027-01-04", nextCheckinAt: null });
    expect(t.chat.dmsTo(NEWCOMER).map((m) => m.title)).toContain("Before we start");
  });

  it("agreeing schedules check-ins; a second intake updates the record without a second welcome", async () => {
    await t.chat.press(NEWCOMER, "consent:agree");
    const welcomes = t.chat.dmsTo(NEWCOMER).filter((m) => m.title === "Before we start").length;
    const answer = await t.chat.commandWithOptions("jo", "intake", { user: NEWCOMER, "checkin-time": "21:30", preferences: "language=en" });
    expect(textOf(answer)).toMatch(/record is updated/);
    expect(textOf(answer)).not.toMatch(/welcome/);
    await t.deliver();
    expect(t.chat.dmsTo(NEWCOMER).filter((m) => m.title === "Before we start")).toHaveLength(welcomes);
    const member = await memberNamed(t, NEWCOMER);
    expect(member.checkinTime).toBe("21:30");
    expect(member.nextCheckinAt?.toISOString()).toBe("2027-01-04T21:30:00.000Z");
    expect(member.preferences).toEqual({ language: "en" });
    // The same sobriety date again adds nothing to the history.
    await t.chat.commandWithOptions("jo", "intake", { user: NEWCOMER, "sobriety-date": "2027-01-01" });
    expect(await t.database.prisma.sobrietyEvent.count({ where: { memberId: member.id } })).toBe(1);
  });

  it("bad input is refused and nothing is created", async () => {
    const before = await t.database.prisma.member.count();
    expect(textOf(await t.chat.command("jo", "intake", "<@555> 2027-02-01"))).toMatch(/sobriety-date is in the future/);
    expect(textOf(await t.chat.command("jo", "intake", "<@555> preferences:women-only"))).toMatch(/preferences didn't work/);
    expect(textOf(await t.chat.command("jo", "intake", "<@555> 1850-01-01"))).toMatch(/sobriety-date looks wrong/);
    expect(textOf(await t.chat.command("jo", "intake", "<@555> yesterday"))).toMatch(/sobriety-date should be a date/);
    expect(textOf(await t.chat.command("jo", "intake", "<@jo>"))).toMatch(/on the staff/);
    const house = await t.database.prisma.house.findFirstOrThrow();
    await t.database.prisma.member.create({ data: { houseId: house.id, platformUserId: "999", displayName: "A bot", isBot: true } });
    expect(textOf(await t.chat.command("jo", "intake", "<@999>"))).toMatch(/is a bot/);
    expect(textOf(await t.chat.command(NEWCOMER, "intake", "<@555>"))).toMatch(/\/intake is for counsellors/);
    expect(await t.database.prisma.member.count()).toBe(before + 1);
  });
});

describe("/discharge", () => {
  it("stops check-ins and queued prompts, keeps the history, and says goodbye kindly", async () => {
    await addResident(t, "sam", { time: "09:30" });
    await runUntil(t, "2027-01-05T09:30:00Z");
    const sam = await memberNamed(t, "sam");
    // A prompt queued but not yet sent must not reach someone who has left.
    const queued = await t.database.prisma.outbox.create({
      data: {
        idempotencyKey: "test:queued-prompt",
        houseId: sam.houseId,
        lane: "prompt",
        targetMemberId: sam.id,
        message: { text: "queued" },
        nextAttemptAt: new Date("2027-01-05T10:00:00Z"),
      },
    });
    const checkins = await t.database.prisma.checkin.count({ where: { memberId: sam.id } });
    const answer = await t.chat.command("jo", "discharge", "<@sam> completed the programme");
    expect(textOf(answer)).toMatch(/sam is discharged/);
    await t.deliver();
    expect(await memberNamed(t, "sam")).toMatchObject({ status: "discharged", nextCheckinAt: null });
    expect((await t.database.prisma.outbox.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("cancelled");
    expect(words(t.chat.dmsTo("sam").at(-1))).toMatch(/Your time with .+ has ended, so your check-ins and reminders have stopped/);

    const prompts = t.chat.dmsTo("sam").filter((m) => m.title === "Daily check-in").length;
    await runUntil(t, "2027-01-08T12:00:00Z");
    expect(t.chat.dmsTo("sam").filter((m) => m.title === "Daily check-in")).toHaveLength(prompts);
    expect(await t.database.prisma.checkin.count({ where: { memberId: sam.id } })).toBe(checkins);
    expect(textOf(await t.chat.command("sam", "checkin", "steady"))).toMatch(/\/checkin is for house members/);
  });

  it("someone discharged can be taken in again: consent is asked afresh", async () => {
    const answer = await t.chat.command("jo", "intake", "<@sam>");
    expect(textOf(answer)).toMatch(/sam is back: their record is open again and their history is kept/);
    await t.deliver();
    expect(await memberNamed(t, "sam")).toMatchObject({
      status: "invited",
      consentAt: null,
      dischargedAt: null,
      programmeStart: "2027-01-08",
    });
    expect(lastDm(t, "sam", "Before we start")).toBeDefined();
  });
});
