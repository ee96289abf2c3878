import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Meeting } from "../../../src/generated/prisma/client.ts";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";

let t: TestApp;
let bigBook: Meeting;

beforeAll(async () => {
  // Monday 22 March 2027, 09:00 UTC: London is still on GMT until Sunday; New York moved to EDT on 14 March.
  t = await createTestApp({ start: "2027-03-22T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await t.chat.command(
    "jo",
    "meeting-admin",
    'add Monday Big Book days:mon,thu time:19:00 duration:90 fellowship:AA "place:St Mary\'s Hall"',
  );
  await t.chat.command("jo", "meeting-admin", "add House group days:wed time:18:00 required:yes link:https://meet.example.org/house");
  await t.chat.command("jo", "meeting-admin", "add Sunday NA days:sun time:17:00 fellowship:NA timezone:America/New_York");
  bigBook = await t.database.prisma.meeting.findFirstOrThrow({ where: { externalSlug: "monday-big-book" } });
  await addResident(t, "ava");
  await addResident(t, "nat", { timezone: "America/New_York" });
});
afterAll(async () => {
  await t.close();
});

describe("/meetings for residents", () => {
  it("lists today and the rest of the week in the resident's own time zone, with a menu to follow one", async () => {
    const answer = await t.chat.command("nat", "meetings");
    const text = textOf(answer);
    expect(text).toMatch(
      /Today, Monday 22 Mar \(times in America\/New_York\)\n• 15:00 Monday Big Book \(AA\) · St Mary's Hall \[monday-big-book\]/,
    );
    expect(text).toMatch(/Later this week\n• Wed 24 Mar 14:00 House group \(In-house group\) · online · house meeting \[house-group\]/);
    expect(text).toMatch(/• Thu 25 Mar 15:00 Monday Big Book/);
    expect(text).toMatch(/• Sun 28 Mar 17:00 Sunday NA \(NA\) \[sunday-na\]/);
    // Seven days from today: next Monday's is not listed yet.
    expect(text).not.toMatch(/Mon 29 Mar/);
    const select = answer.replies[0]?.select;
    expect(select?.actionId).toBe("mtg:follow");
    expect(select?.options.map((o) => o.label)).toEqual(["Monday Big Book", "Sunday NA"]);
  });

  it("subscribe from the menu or by name, unsubscribe by name; required meetings stay on the list", async () => {
    expect(textOf(await t.chat.press("nat", "mtg:follow", bigBook.id))).toMatch(
      /You follow Monday Big Book now: Mondays and Thursdays at 19:00/,
    );
    expect(textOf(await t.chat.command("nat", "meetings", "subscribe monday-big-book"))).toMatch(/You already follow Monday Big Book\./);
    expect(textOf(await t.chat.command("nat", "meetings", "subscribe sunday-na"))).toMatch(/You follow Sunday NA now/);
    expect(textOf(await t.chat.command("nat", "meetings", "subscribe no-such-thing"))).toMatch(
      /I can't find a meeting called "no-such-thing"/,
    );
    expect(textOf(await t.chat.command("nat", "meetings", "unsubscribe sunday-na"))).toMatch(/You no longer follow Sunday NA/);
    expect(textOf(await t.chat.command("nat", "meetings", "unsubscribe house-group"))).toMatch(/You weren't following House group\./);
    const mine = textOf(await t.chat.command("nat", "meetings", "mine"));
    expect(mine).toMatch(/House group \[house-group\] · house meeting/);
    expect(mine).toMatch(/Monday Big Book \[monday-big-book\]\n {2}Mondays and Thursdays at 19:00 \(1 h 30 min, Europe\/London\)/);
    expect(mine).not.toMatch(/Sunday NA/);
  });

  it("a meeting in another house cannot be followed by its id", async () => {
    const other = await t.database.prisma.house.create({
      data: { platform: "discord", workspaceId: "other-server", name: "Elm House", timezone: "Europe/London" },
    });
    const theirs = await t.database.prisma.meeting.create({
      data: {
        houseId: other.id,
        externalSlug: "elm-group",
        name: "Elm group",
        weekdays: [1],
        startTime: "19:00",
        timezone: "Europe/London",
      },
    });
    expect(textOf(await t.chat.press("nat", "mtg:follow", theirs.id))).toMatch(/I can't find a meeting/);
    expect(textOf(await t.chat.press("nat", `mtg:att:${theirs.id}:2027-03-15:went`))).toMatch(/isn't one of yours/);
    expect(await t.database.prisma.meetingSubscription.count({ where: { meetingId: theirs.id } })).toBe(0);
    expect(await t.database.prisma.attendance.count({ where: { meetingId: theirs.id } })).toBe(0);
  });
});

describe("/meetings calendar", () => {
  it("gives an iCalendar file of the meetings they follow, which a calendar program reads at the right times across the clock change", async () => {
    const answer = await t.chat.command("nat", "meetings", "calendar");
    const [attachment] = answer.replies[0]?.attachments ?? [];
    expect(textOf(answer)).toMatch(/Your 2 meetings as a calendar file/);
    expect(attachment).toMatchObject({ filename: "meetings.ics", contentType: "text/calendar" });
    const text = Buffer.from(attachment?.base64 ?? "", "base64").toString("utf8");
    const root = new ICAL.Component(ICAL.parse(text));
    for (const zone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
    const events = root.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    expect(events.map((e) => e.summary)).toEqual(["House group", "Monday Big Book"]);
    const big = events[1];
    expect(big?.location).toBe("St Mary's Hall");
    expect(big?.startDate.zone.tzid).toBe("Europe/London");
    const iterator = big?.iterator();
    const starts = [1, 2, 3, 4].map(() => iterator?.next()?.toJSDate().toISOString());
    expect(starts).toEqual([
      "2027-03-22T19:00:00.000Z",
      "2027-03-25T19:00:00.000Z",
      "2027-03-29T18:00:00.000Z",
      "2027-04-01T18:00:00.000Z",
    ]);
    expect(events[0]?.component.getFirstPropertyValue("url")).toBe("https://meet.example.org/house");
  });

  it("says so when they follow nothing", async () => {
    expect(textOf(await t.chat.command("jo", "meetings", "calendar"))).toMatch(/You don't follow any meetings yet/);
  });
});
