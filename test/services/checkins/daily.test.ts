import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident, runUntil } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp, testCipher } from "../../support/testApp.ts";

let t: TestApp;

beforeAll(async () => {
  // Monday 4 January 2027, 09:00 in London (GMT).
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
});
afterAll(async () => {
  await t.close();
});

const prompts = (user: string) => t.chat.dmsTo(user).filter((m) => m.title === "Daily check-in");
const checkinOf = (user: string, localDate: string) =>
  t.database.prisma.checkin.findFirst({ where: { member: { platformUserId: user }, localDate } });

describe("a resident's day: prompt, answer, reminder, window", () => {
  it("a new resident is shown what is stored and who sees it before anything is scheduled", async () => {
    const answer = await t.chat.command("ava", "checkin");
    expect(textOf(answer)).toMatch(/Who sees them: you and the house counsellors/);
    const ava = await t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: "ava" } });
    expect(ava.nextCheckinAt).toBeNull();
    expect(await t.database.prisma.checkin.count({ where: { memberId: ava.id } })).toBe(0);
    const agreed = await t.chat.press("ava", "consent:agree");
    expect(textOf(agreed)).toMatch(/first check-in comes Mon 4 Jan at 20:00 \(Europe\/London\)/);
    const after = await t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: "ava" } });
    expect(after.consentVersion).toBe("2027-01");
    expect(after.nextCheckinAt?.toISOString()).toBe("2027-01-04T20:00:00.000Z");
  });

  it("the prompt says who sees the answers, and the buttons walk through craving, mood, meeting and a note", async () => {
    await runUntil(t, "2027-01-04T20:00:00Z");
    const [prompt] = prompts("ava");
    expect(prompt?.text).toMatch(/Only you and the house counsellors see your answers/);
    const checkin = await checkinOf("ava", "2027-01-04");
    const id = checkin?.id ?? "";
    expect(textOf(await t.chat.press("ava", `ci:f:${id}:steady`))).toMatch(/craving/);
    expect(textOf(await t.chat.press("ava", `ci:c:${id}:2`))).toMatch(/mood/);
    expect(textOf(await t.chat.press("ava", `ci:m:${id}:4`))).toMatch(/meeting/);
    expect(textOf(await t.chat.press("ava", `ci:g:${id}:yes`))).toMatch(/Anything you'd like to add/);
    const form = await t.chat.press("ava", `ci:n:${id}`);
    expect(form.forms[0]?.formId).toBe(`cinote:${id}`);
    const saved = await t.chat.submit("ava", `cinote:${id}`, { note: "went to the NA meeting NOTE-MARKER-1" });
    expect(textOf(saved)).toMatch(/today's check-in is saved/);
    const stored = await checkinOf("ava", "2027-01-04");
    expect(stored).toMatchObject({ status: "answered", feeling: "steady", craving: 2, mood: 4, meetingToday: true });
    expect(stored?.noteCipher).not.toContain("NOTE-MARKER-1");
    expect(testCipher.decrypt(stored?.noteCipher ?? "")).toContain("NOTE-MARKER-1");
  });

  it("an answered day gets no reminder and is not marked missed", async () => {
    await runUntil(t, "2027-01-05T03:00:00Z");
    expect(t.chat.dmsTo("ava").some((m) => /gentle reminder/.test(m.text))).toBe(false);
    expect((await checkinOf("ava", "2027-01-04"))?.status).toBe("answered");
  });

  it("an unanswered day gets exactly one reminder two hours in, then is missed when the window closes six hours in", async () => {
    await runUntil(t, "2027-01-05T21:59:00Z");
    expect(t.chat.dmsTo("ava").filter((m) => /gentle reminder/.test(m.text))).toHaveLength(0);
    await runUntil(t, "2027-01-06T01:59:00Z");
    expect(t.chat.dmsTo("ava").filter((m) => /gentle reminder/.test(m.text))).toHaveLength(1);
    expect((await checkinOf("ava", "2027-01-05"))?.status).toBe("pending");
    await runUntil(t, "2027-01-06T02:01:00Z");
    expect((await checkinOf("ava", "2027-01-05"))?.status).toBe("missed");
    const signal = await t.database.prisma.riskSignal.findFirst({ where: { kind: "missed_checkin", member: { platformUserId: "ava" } } });
    expect(signal?.details).toMatchObject({ missedInARow: 1, localDate: "2027-01-05" });
  });

  it("an answer for a closed day is refused politely", async () => {
    const closed = await checkinOf("ava", "2027-01-05");
    const answer = await t.chat.press("ava", `ci:f:${closed?.id}:steady`);
    expect(textOf(answer)).toMatch(/has closed/);
    expect((await checkinOf("ava", "2027-01-05"))?.status).toBe("missed");
  });

  it("answers can be changed while the window is open", async () => {
    await runUntil(t, "2027-01-06T20:05:00Z");
    await t.chat.command("ava", "checkin", "struggling 6 2 no");
    await t.chat.command("ava", "checkin", "craving:3");
    expect(await checkinOf("ava", "2027-01-06")).toMatchObject({ feeling: "struggling", craving: 3, mood: 2, meetingToday: false });
  });
});

describe("answering in plain words", () => {
  it("reads what it can, asks for what is missing, and keeps the rest when a number is out of range", async () => {
    await addResident(t, "ben", { time: "20:00" });
    await runUntil(t, "2027-01-07T20:01:00Z");
    const first = await t.chat.dm("ben", "sober, craving 12, mood 4");
    expect(textOf(first)).toMatch(/Craving goes from 0 to 10/);
    expect(textOf(first)).toMatch(/How strong is any craving/);
    expect(await checkinOf("ben", "2027-01-07")).toMatchObject({ feeling: "steady", craving: null, mood: 4 });
    const second = await t.chat.dm("ben", "craving 1, went to a meeting");
    expect(textOf(second)).toMatch(/today's check-in is saved/);
    expect(await checkinOf("ben", "2027-01-07")).toMatchObject({ craving: 1, meetingToday: true, status: "answered" });
  });

  it("text it cannot read gets a kind explanation of what to type", async () => {
    expect(textOf(await t.chat.dm("ben", "banana"))).toMatch(/couldn't read that as a check-in.*sober, craving 2, mood 4/s);
  });

  it("out-of-range options and an overlong note are refused with what to type, nothing half-saved", async () => {
    expect(textOf(await t.chat.command("ben", "checkin", "craving:11"))).toMatch(/craving should be 10 or less/);
    expect(textOf(await t.chat.command("ben", "checkin", `note:${"x".repeat(1001)}`))).toMatch(/note is too long/);
    expect((await checkinOf("ben", "2027-01-07"))?.craving).toBe(1);
  });

  it("a button for someone else's check-in is refused and changes nothing", async () => {
    const bens = await checkinOf("ben", "2027-01-07");
    expect(textOf(await t.chat.press("ava", `ci:f:${bens?.id}:used`))).toMatch(/isn't yours/);
    expect((await checkinOf("ben", "2027-01-07"))?.feeling).toBe("steady");
  });
});

describe("lapses, streaks and milestones", () => {
  it("reporting use thanks the resident, records a lapse and a fresh start, and keeps the history", async () => {
    await addResident(t, "cal", { time: "20:00", sobrietyDate: "2026-12-01" });
    await runUntil(t, "2027-01-08T20:01:00Z");
    const today = await checkinOf("cal", "2027-01-08");
    const answer = await t.chat.press("cal", `ci:f:${today?.id}:used`);
    expect(textOf(answer)).toMatch(/Thank you for telling the truth/);
    expect(textOf(answer)).not.toMatch(/!/);
    const events = await t.database.prisma.sobrietyEvent.findMany({
      where: { member: { platformUserId: "cal" } },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => [e.kind, e.date])).toEqual([
      ["date_set", "2026-12-01"],
      ["lapse", "2027-01-08"],
      ["recommitment", "2027-01-09"],
    ]);
    await runUntil(t, "2027-01-12T12:00:00Z");
    const streak = textOf(await t.chat.command("cal", "streak"));
    expect(streak).toMatch(/3 days sober/);
    expect(streak).toMatch(/Total sober days: 41/);
    expect(streak).toMatch(/Lapses recorded \(your history is kept\): 1/);
    expect(streak).toMatch(/Last 14 days: [·●○◆–]{14}/);
  });

  it("a milestone is celebrated privately, and in the house channel only for those who opted in", async () => {
    await addResident(t, "dee", { time: "20:00", sobrietyDate: "2026-12-15" });
    await addResident(t, "eli", { time: "20:00", sobrietyDate: "2026-12-15" });
    await t.chat.command("dee", "celebrate", "on");
    // 30 days after 15 December is 14 January.
    await runUntil(t, "2027-01-14T20:01:00Z");
    expect(t.chat.dmsTo("dee").some((m) => m.title === "A milestone" && /30 days today/.test(m.text))).toBe(true);
    expect(t.chat.dmsTo("eli").some((m) => m.title === "A milestone" && /30 days today/.test(m.text))).toBe(true);
    const channel = t.chat.delivered.filter((d) => d.kind === "channel" && d.to === "house").map((d) => d.message.text);
    expect(channel).toEqual(["dee reaches 30 days today. Congratulations."]);
  });
});

describe("excused absences", () => {
  it("a resident asks to be away, a counsellor approves with a button, and those days are excused rather than missed", async () => {
    await addResident(t, "fay", { time: "20:00", keyCounsellor: "jo" });
    expect(textOf(await t.chat.command("fay", "away", "2027-01-15 2027-01-16 day pass with family"))).toMatch(/asked your counsellor/);
    await t.deliver();
    const request = t.chat.dmsTo("jo").find((m) => m.title === "Absence request");
    expect(request?.fields).toContainEqual({ label: "Reason", value: "day pass with family" });
    const approve = request?.buttons?.[0]?.[0]?.actionId ?? "";
    expect(textOf(await t.chat.press("fay", approve))).toMatch(/isn't for you/);
    expect(textOf(await t.chat.press("jo", approve))).toMatch(/Approved by jo/);
    expect(textOf(await t.chat.press("jo", approve))).toMatch(/already approved/);
    await runUntil(t, "2027-01-17T12:00:00Z");
    expect((await checkinOf("fay", "2027-01-15"))?.status).toBe("excused");
    expect((await checkinOf("fay", "2027-01-16"))?.status).toBe("excused");
    // Added after the 14th's check-in time, so her first days were the excused ones: no prompt at all.
    expect(prompts("fay")).toHaveLength(0);
  });

  it("a counsellor can excuse days afterwards, turning missed days into excused ones", async () => {
    await runUntil(t, "2027-01-18T03:00:00Z");
    expect((await checkinOf("fay", "2027-01-17"))?.status).toBe("missed");
    const answer = await t.chat.command("jo", "excuse", "@fay 2027-01-17 2027-01-17 hospital appointment");
    expect(textOf(answer)).toMatch(/won't count as missed/);
    expect((await checkinOf("fay", "2027-01-17"))?.status).toBe("excused");
  });

  it("a backwards or overlong range is explained", async () => {
    expect(textOf(await t.chat.command("fay", "away", "2027-02-10 2027-02-01 holiday"))).toMatch(/end date is before the start date/);
    expect(textOf(await t.chat.command("fay", "away", "2027-02-01 2027-06-01 long trip"))).toMatch(/at most 60 days/);
  });
});

describe("personal settings", () => {
  it("/schedule changes the time and zone, suggesting a fix for a misspelt zone", async () => {
    expect(textOf(await t.chat.command("ben", "schedule", "21:15 Europe/Londn"))).toMatch(/Did you mean Europe\/London\?/);
    expect(textOf(await t.chat.command("ben", "schedule", "21:15 America/New_York"))).toMatch(/at 21:15 \(America\/New_York\) each day/);
  });

  it("pause stops prompts until resume", async () => {
    await t.chat.command("ben", "pause");
    const paused = await t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: "ben" } });
    expect(paused.nextCheckinAt).toBeNull();
    const before = prompts("ben").length;
    await runUntil(t, "2027-01-20T12:00:00Z");
    expect(prompts("ben").length).toBe(before);
    expect(textOf(await t.chat.command("ben", "resume"))).toMatch(/running again/);
    await runUntil(t, "2027-01-21T12:00:00Z");
    expect(prompts("ben").length).toBe(before + 1);
  });
});
