import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Meeting } from "../../../src/generated/prisma/client.ts";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { runMeetingsUntil, type Timed } from "./helpers.ts";

let t: TestApp;
let bigBook: Meeting;
let houseGroup: Meeting;
const log: Timed[] = [];

beforeAll(async () => {
  // Saturday 20 March 2027; London's clocks go forward on Sunday 28 March, New York's went on 14 March.
  t = await createTestApp({ start: "2027-03-20T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await t.chat.command("jo", "meeting-admin", 'add Monday Big Book days:mon time:19:00 duration:90 fellowship:AA "place:St Mary\'s Hall"');
  await t.chat.command("jo", "meeting-admin", "add House group days:wed time:18:00 required:yes link:https://meet.example.org/house");
  bigBook = await t.database.prisma.meeting.findFirstOrThrow({ where: { externalSlug: "monday-big-book" } });
  houseGroup = await t.database.prisma.meeting.findFirstOrThrow({ where: { externalSlug: "house-group" } });
  await addResident(t, "ava");
  await addResident(t, "nat", { timezone: "America/New_York" });
  await addResident(t, "pat");
  await t.chat.command("pat", "pause");
  await t.chat.command("ivy", "help"); // known to the bot, has not agreed to take part
  for (const name of ["ava", "nat", "ivy"]) await t.chat.command(name, "meetings", "subscribe monday-big-book");
});
afterAll(async () => {
  await t.close();
});

const reminders = (to: string, meeting: Meeting) =>
  log.filter(
    (d) => d.kind === "direct" && d.to === to && d.message.title === "Meeting reminder" && d.message.text.startsWith(meeting.name),
  );

describe("reminders before each meeting, at the right local instant across a clock change", () => {
  it("a follower is reminded an hour before 19:00 London time: 18:00 UTC in March, 17:00 UTC once the clocks go forward", async () => {
    await runMeetingsUntil(t, "2027-04-01T00:00:00Z", log);
    expect(reminders("ava", bigBook).map((d) => d.at)).toEqual(["2027-03-22T18:00:00.000Z", "2027-03-29T17:00:00.000Z"]);
    const [first] = reminders("ava", bigBook);
    expect(first?.message.text).toBe("Monday Big Book starts at 19:00 today, in 1 hour.\nWhere: St Mary's Hall");
    expect(first?.message.buttons?.[0]?.[0]).toEqual({ actionId: `mtg:unsub:${bigBook.id}`, label: "Stop reminders for this meeting" });
  });

  it("a follower in another zone reads the time in their own zone", () => {
    const nats = reminders("nat", bigBook);
    expect(nats.map((d) => d.at)).toEqual(reminders("ava", bigBook).map((d) => d.at));
    expect(nats[0]?.message.text).toMatch(/^Monday Big Book starts at 15:00 \(America\/New_York\) today, in 1 hour\./);
    expect(nats[1]?.message.text).toMatch(/^Monday Big Book starts at 14:00 \(America\/New_York\) today/);
  });

  it("a required meeting reminds every resident taking part, with its link; not residents who haven't agreed or are paused, nor staff", () => {
    const expected = ["2027-03-24T17:00:00.000Z", "2027-03-31T16:00:00.000Z"];
    expect(reminders("ava", houseGroup).map((d) => d.at)).toEqual(expected);
    expect(reminders("nat", houseGroup).map((d) => d.at)).toEqual(expected);
    expect(reminders("ava", houseGroup)[0]?.message.text).toBe(
      "House group starts at 18:00 today, in 1 hour.\nJoin: https://meet.example.org/house\nThis is one of the house's required meetings.",
    );
    expect(reminders("ava", houseGroup)[0]?.message.buttons).toBeUndefined();
    for (const name of ["pat", "ivy", "jo"]) {
      expect(log.filter((d) => d.to === name && d.message.title === "Meeting reminder")).toEqual([]);
    }
  });

  it("one outbox row per member, meeting and occurrence: sweeping again at the same instant adds nothing", async () => {
    const rows = await t.database.prisma.outbox.findMany({ where: { idempotencyKey: { startsWith: "meeting-reminder:" } } });
    const ava = await t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: "ava" } });
    expect(rows.map((r) => r.idempotencyKey)).toContain(`meeting-reminder:${ava.id}:${bigBook.id}:2027-03-29`);
    expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(rows.length);
    t.clock.set("2027-03-29T17:00:00Z");
    await t.app.services.meetings.sweep(t.clock.now());
    await t.app.services.meetings.sweep(t.clock.now());
    expect(await t.database.prisma.outbox.count({ where: { idempotencyKey: { startsWith: "meeting-reminder:" } } })).toBe(rows.length);
  });
});

describe("what changes reminders", () => {
  it("the house's lead time, a stop button, an approved absence, and removing the meeting", async () => {
    t.clock.set("2027-04-01T00:00:00Z");
    await t.chat.command("owner", "settings", "meetingReminderMinutes 30");
    const [lastForNat] = reminders("nat", bigBook).slice(-1);
    expect(textOf(await t.chat.press("nat", lastForNat?.message.buttons?.[0]?.[0]?.actionId ?? ""))).toMatch(
      /You no longer follow Monday Big Book\. No more reminders for it\./,
    );
    await t.chat.command("jo", "excuse", "@ava 2027-04-12 2027-04-12 court date");
    await runMeetingsUntil(t, "2027-04-06T00:00:00Z", log);
    expect(
      reminders("ava", bigBook)
        .map((d) => d.at)
        .slice(-1),
    ).toEqual(["2027-04-05T17:30:00.000Z"]);
    expect(
      reminders("nat", bigBook)
        .map((d) => d.at)
        .slice(-1),
    ).toEqual(["2027-03-29T17:00:00.000Z"]);
    // A tick at the next due instant is the whole story, even after the clock jumps: what is overdue is claimed.
    const atReminder = async (instant: string) => {
      t.clock.set(instant);
      await runMeetingsUntil(t, instant, log);
    };
    await atReminder("2027-04-12T17:30:00Z");
    expect(
      reminders("ava", bigBook)
        .map((d) => d.at)
        .slice(-1),
    ).toEqual(["2027-04-05T17:30:00.000Z"]);
    await t.chat.command("jo", "meeting-admin", "remove monday-big-book");
    await atReminder("2027-04-19T17:30:00Z");
    expect(
      reminders("ava", bigBook)
        .map((d) => d.at)
        .slice(-1),
    ).toEqual(["2027-04-05T17:30:00.000Z"]);
  });

  it("removing a meeting cancels reminders already queued for it", async () => {
    await t.chat.command("jo", "meeting-admin", "restore monday-big-book");
    t.clock.set("2027-05-03T17:30:00Z");
    await t.app.services.meetings.sweep(t.clock.now());
    const queued = await t.database.prisma.outbox.findMany({ where: { correlationKey: `meeting:${bigBook.id}`, status: "pending" } });
    expect(queued.length).toBe(1);
    await t.chat.command("jo", "meeting-admin", "remove monday-big-book");
    expect((await t.database.prisma.outbox.findUniqueOrThrow({ where: { id: queued[0]?.id ?? "" } })).status).toBe("cancelled");
  });
});

describe("the house channel's daily list", () => {
  it("is off by default, and once on, posts today's meetings once, at 07:00 house time", async () => {
    expect(log.filter((d) => d.kind === "channel" && d.message.title === "Today's meetings")).toEqual([]);
    await t.chat.command("owner", "settings", "dailyMeetingsPost on");
    await t.chat.command("jo", "meeting-admin", "restore monday-big-book");
    t.clock.set("2027-05-09T12:00:00Z");
    await runMeetingsUntil(t, "2027-05-11T00:00:00Z", log);
    const posts = log.filter((d) => d.kind === "channel" && d.message.title === "Today's meetings");
    // Sunday 9 May has no meeting, so no post; Monday's comes at 07:00 BST.
    expect(posts.map((p) => [p.at, p.to])).toEqual([["2027-05-10T06:00:00.000Z", "house"]]);
    expect(posts[0]?.message.text).toBe(
      "• 19:00 Monday Big Book (AA) · St Mary's Hall\nType /meetings to follow one and get a reminder before it starts.",
    );
  });
});
