import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { House, Meeting } from "../../../src/generated/prisma/client.ts";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { runMeetingsUntil, type Timed } from "./helpers.ts";

let t: TestApp;
let house: House;
let bigBook: Meeting;
let houseGroup: Meeting;
const log: Timed[] = [];

beforeAll(async () => {
  // Monday 1 March 2027, London (GMT).
  t = await createTestApp({ start: "2027-03-01T09:00:00Z" });
  house = await setUpHouse(t);
  await addCounsellor(t, "jo");
  await t.chat.command("jo", "meeting-admin", "add Monday Big Book days:mon time:19:00 duration:90 fellowship:AA");
  await t.chat.command("jo", "meeting-admin", "add House group days:wed time:18:00 required:yes");
  bigBook = await t.database.prisma.meeting.findFirstOrThrow({ where: { externalSlug: "monday-big-book" } });
  houseGroup = await t.database.prisma.meeting.findFirstOrThrow({ where: { externalSlug: "house-group" } });
  await addResident(t, "ava");
  await addResident(t, "ben");
  await t.chat.command("ava", "meetings", "subscribe monday-big-book");
});
afterAll(async () => {
  await t.close();
});

const asked = (to: string) => log.filter((d) => d.kind === "direct" && d.to === to && d.message.title === "Did you go?");
const attendanceOf = (user: string) =>
  t.database.prisma.attendance.findMany({
    where: { member: { platformUserId: user } },
    orderBy: [{ localDate: "asc" }, { recordedAt: "asc" }],
  });

describe('"did you go?" after a meeting ends', () => {
  it("asks each follower by DM once the meeting is over, saying who sees the answer", async () => {
    await runMeetingsUntil(t, "2027-03-01T20:29:00Z", log);
    expect(asked("ava")).toEqual([]);
    await runMeetingsUntil(t, "2027-03-01T23:00:00Z", log);
    const [question] = asked("ava");
    expect(question?.at).toBe("2027-03-01T20:30:00.000Z");
    expect(question?.message.text).toBe(
      "Did you get to Monday Big Book (Mon 1 Mar at 19:00)? Only you and the house counsellors see the answer.",
    );
    expect(question?.message.buttons?.[0]?.map((b) => [b.label, b.actionId])).toEqual([
      ["I went", `mtg:att:${bigBook.id}:2027-03-01:went`],
      ["I couldn't make it", `mtg:att:${bigBook.id}:2027-03-01:could_not`],
      ["I was excused", `mtg:att:${bigBook.id}:2027-03-01:excused`],
    ]);
    expect(asked("ben")).toEqual([]);
  });

  it("the buttons record attendance, and a change of answer replaces the first", async () => {
    const went = await t.chat.press("ava", `mtg:att:${bigBook.id}:2027-03-01:went`);
    expect(textOf(went)).toBe("Thank you. Noted that you went to Monday Big Book (Mon 1 Mar).");
    expect(went.updates).toHaveLength(1);
    expect(await attendanceOf("ava")).toMatchObject([{ meetingId: bigBook.id, localDate: "2027-03-01", status: "went", source: "dm" }]);
    const changed = await t.chat.press("ava", `mtg:att:${bigBook.id}:2027-03-01:could_not`);
    expect(textOf(changed)).toBe(
      "Thanks for letting me know. Noted that you couldn't make Monday Big Book (Mon 1 Mar). The next one is Mon 8 Mar at 19:00.",
    );
    expect(await attendanceOf("ava")).toMatchObject([{ status: "could_not" }]);
    await t.chat.press("ava", `mtg:att:${bigBook.id}:2027-03-01:went`);
  });

  it("a meeting that has not happened, a day it is not held, or a made-up meeting is refused and records nothing", async () => {
    expect(textOf(await t.chat.press("ava", `mtg:att:${bigBook.id}:2027-03-08:went`))).toMatch(/hasn't started yet/);
    expect(textOf(await t.chat.press("ava", `mtg:att:${bigBook.id}:2027-03-02:went`))).toMatch(/isn't one of yours/);
    expect(textOf(await t.chat.press("ava", "mtg:att:not-a-meeting:2027-03-01:went"))).toMatch(/isn't one of yours/);
    expect(textOf(await t.chat.press("ava", `mtg:att:${bigBook.id}:2027-03-01:maybe`))).toBe("");
    expect(await attendanceOf("ava")).toHaveLength(1);
  });

  it("a required meeting asks every resident taking part; nobody is asked twice however often the sweep runs", async () => {
    await runMeetingsUntil(t, "2027-03-03T19:00:00Z", log);
    await t.app.services.meetings.sweep(t.clock.now());
    await t.deliver();
    for (const name of ["ava", "ben"]) {
      const houseGroupQuestions = t.chat.dmsTo(name).filter((m) => m.title === "Did you go?" && m.text.includes("House group"));
      expect(houseGroupQuestions).toHaveLength(1);
    }
    await t.chat.press("ben", `mtg:att:${houseGroup.id}:2027-03-03:excused`);
  });
});

describe("attendance per resident per week, for counsellors", () => {
  it("counts the answers, the meetings with no answer, and the check-in's 'did you get to a meeting?'", async () => {
    await runMeetingsUntil(t, "2027-03-04T21:00:00Z", log);
    await t.chat.command("ava", "checkin", "steady 2 4 yes");
    await runMeetingsUntil(t, "2027-03-05T21:00:00Z", log);
    await t.chat.command("ben", "checkin", "steady 1 4 no");
    await runMeetingsUntil(t, "2027-03-08T09:00:00Z", log);

    const report = await t.app.services.meetings.attendanceForWeek(house.id, "2027-03-01");
    const ava = report.residents.find((r) => r.displayName === "ava");
    const ben = report.residents.find((r) => r.displayName === "ben");
    expect(ava).toMatchObject({ went: 1, couldNot: 0, excused: 0, noAnswer: 1, checkinYesDays: 1, checkinAnsweredDays: 1, meetingDays: 2 });
    expect(ava?.entries).toEqual([
      { localDate: "2027-03-01", meetingName: "Monday Big Book", required: false, status: "went" },
      { localDate: "2027-03-03", meetingName: "House group", required: true, status: null },
    ]);
    expect(ben).toMatchObject({ went: 0, excused: 1, noAnswer: 0, checkinYesDays: 0, checkinAnsweredDays: 1, meetingDays: 0 });
  });

  it("/attendance shows the house's week, or one resident's meetings day by day, and records that it was looked at", async () => {
    const all = textOf(await t.chat.command("jo", "attendance", "week:2027-03-03"));
    expect(all).toMatch(/Meeting attendance, week of Mon 1 Mar/);
    expect(all).toMatch(/ava: went 1 · couldn't 0 · excused 0 · no answer 1 · check-in said yes on 1 of 1 days · days with a meeting: 2/);
    expect(all).toMatch(/ben: went 0 · couldn't 0 · excused 1 · no answer 0 · check-in said yes on 0 of 1 days · days with a meeting: 0/);
    const one = textOf(await t.chat.command("jo", "attendance", "@ava 2027-03-01"));
    expect(one).toMatch(/Mon 1 Mar · Monday Big Book · went\n {2}Wed 3 Mar · House group \(required\) · no answer/);
    expect(one).not.toMatch(/ben:/);
    const audits = await t.database.prisma.auditLog.findMany({ where: { action: "attendance.viewed" } });
    expect(audits).toHaveLength(2);
    expect(textOf(await t.chat.command("ava", "attendance"))).toMatch(/\/attendance is for counsellors/);
  });
});
