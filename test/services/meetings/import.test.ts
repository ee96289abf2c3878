import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { House, Member } from "../../../src/generated/prisma/client.ts";
import { createMeetings } from "../../../src/services/meetings/index.ts";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp, testCipher } from "../../support/testApp.ts";
import { fixturePath, fixtureText, startFeedServer } from "./helpers.ts";

let t: TestApp;
let house: House;
let jo: Member;
let feeds: Awaited<ReturnType<typeof startFeedServer>>;

const routes: Record<string, { body: string; type?: string; status?: number }> = {
  "/meeting-guide.json": { body: fixtureText("meeting-guide.json") },
  "/bmlt.json": { body: fixtureText("bmlt-search-results.json") },
  "/page": { body: "<!doctype html><html><body>Meetings</body></html>", type: "text/html" },
  "/error-object": { body: '{"error": "feed disabled"}' },
  "/broken": { body: "oops", status: 500 },
};

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  house = await setUpHouse(t);
  jo = await addCounsellor(t, "jo");
  feeds = await startFeedServer(routes);
});
afterAll(async () => {
  await feeds.close();
  await t.close();
});

const meetingsOf = (source: "meeting_guide" | "bmlt" | "manual") =>
  t.database.prisma.meeting.findMany({ where: { houseId: house.id, source }, orderBy: { externalSlug: "asc" } });
const snapshot = async () =>
  (await t.database.prisma.meeting.findMany({ orderBy: { id: "asc" } })).map((m) => JSON.stringify({ ...m, house: undefined }));

describe("importing a Meeting Guide feed", () => {
  it("by web address: the good rows are imported, each bad row is reported by slug and reason", async () => {
    const answer = textOf(await t.chat.command("jo", "meeting-admin", `import ${feeds.url("/meeting-guide.json")}`));
    expect(answer).toMatch(/Meetings imported/);
    expect(answer).toMatch(/From a Meeting Guide feed: 6 new, 0 updated, 0 unchanged\./);
    expect(answer).toMatch(/Not imported \(9\):/);
    for (const line of [
      '• broken-clock: time "25:00" is not a 24-hour time like 19:30',
      "• eighth-day: day 7 is not 0 (Sunday) to 6 (Saturday)",
      "• row 9: slug is missing",
      "• by-appointment: no day: meetings by appointment have no time to remind anyone of",
      "• monday-night-big-book: the same slug appears earlier in the feed",
    ]) {
      expect(answer).toContain(line);
    }
    const stored = await meetingsOf("meeting_guide");
    expect(stored.map((m) => [m.externalSlug, m.weekdays, m.startTime, m.durationMinutes, m.timezone, m.fellowship])).toEqual([
      ["4017", [5], "23:00", 90, "Europe/London", "AA"],
      ["hope-online-12", [3], "20:00", 60, "Europe/London", "AA"],
      ["monday-night-big-book", [1], "19:00", 90, "Europe/London", "AA"],
      ["serenity-at-seven", [2, 4], "07:00", 60, "Europe/London", "AA"],
      ["sunday-serenity-7", [0], "18:00", 90, "Europe/London", "AA"],
      ["womens-step-study", [6], "10:30", 60, "Europe/London", "AA"],
    ]);
    const audit = await t.database.prisma.auditLog.findFirst({ where: { action: "meetings.imported" } });
    expect(audit).toMatchObject({ actorId: jo.id, details: { created: 6, rejected: 9, from: "url", format: "meeting_guide" } });
  });

  it("re-importing the same feed changes nothing and never duplicates", async () => {
    const before = await snapshot();
    const answer = textOf(await t.chat.command("jo", "meeting-admin", `import ${feeds.url("/meeting-guide.json")}`));
    expect(answer).toMatch(/0 new, 0 updated, 6 unchanged/);
    expect(await snapshot()).toEqual(before);
  });

  it("a changed feed updates by slug, keeps the house's own 'required' choice, and names meetings it no longer lists", async () => {
    await t.chat.command("jo", "meeting-admin", "edit serenity-at-seven required:yes");
    const feed = JSON.parse(fixtureText("meeting-guide.json")) as Array<Record<string, unknown>>;
    const changed = feed
      .filter((row) => typeof row !== "object" || row.slug !== "sunday-serenity-7")
      .map((row) => (typeof row === "object" && row.slug === "serenity-at-seven" ? { ...row, time: "07:30", end_time: "08:30" } : row));
    routes["/meeting-guide.json"] = { body: JSON.stringify(changed) };
    const answer = textOf(await t.chat.command("jo", "meeting-admin", `import ${feeds.url("/meeting-guide.json")}`));
    expect(answer).toMatch(/0 new, 1 updated, 4 unchanged/);
    expect(answer).toMatch(/Imported before but not in this feed \(left as they are\): sunday-serenity-7/);
    const serenity = (await meetingsOf("meeting_guide")).find((m) => m.externalSlug === "serenity-at-seven");
    expect(serenity).toMatchObject({ startTime: "07:30", required: true, active: true });
    expect(await meetingsOf("meeting_guide")).toHaveLength(6);
  });

  it("from a file, as the console does it, and from text pasted into the import form", async () => {
    const fromFile = await t.app.services.meetings.importFeed(house.id, jo.id, {
      source: { kind: "file", path: fixturePath("meeting-guide.json") },
      format: "auto",
    });
    expect(fromFile).toMatchObject({ outcome: "imported", created: 0, updated: 1 });
    const opened = await t.chat.command("jo", "meeting-admin", "import");
    const form = opened.forms[0];
    expect(form?.formId).toBe("mtgimport:auto");
    const pasted = JSON.stringify([{ name: "Pasted Group", slug: "pasted-group", day: [1, 3], time: "12:15" }]);
    const answer = textOf(await t.chat.submit("jo", form?.formId ?? "", { feed: pasted }));
    expect(answer).toMatch(/1 new, 0 updated, 0 unchanged/);
    expect((await meetingsOf("meeting_guide")).find((m) => m.externalSlug === "pasted-group")).toMatchObject({ weekdays: [1, 3] });
  });
});

describe("importing from a BMLT server", () => {
  it("normalises weekdays 1-7 from Sunday to 0-6 and reports bad rows; a second import is idempotent", async () => {
    const answer = textOf(await t.chat.command("jo", "meeting-admin", `import format:bmlt ${feeds.url("/bmlt.json")}`));
    expect(answer).toMatch(/From a BMLT feed: 4 new, 0 updated, 0 unchanged\./);
    expect(answer).toContain('• bmlt-1205: weekday_tinyint "8" is not 1 (Sunday) to 7 (Saturday)');
    expect(answer).toContain("• bmlt-1207: the meeting is not published");
    const stored = await meetingsOf("bmlt");
    expect(stored.map((m) => [m.externalSlug, m.weekdays, m.startTime, m.durationMinutes, m.fellowship])).toEqual([
      ["bmlt-1201", [0], "19:30", 90, "NA"],
      ["bmlt-1202", [1], "12:00", 60, "NA"],
      ["bmlt-1203", [6], "09:00", 60, "NA"],
      ["bmlt-1204", [3], "19:00", 60, "NA"],
    ]);
    expect(textOf(await t.chat.command("jo", "meeting-admin", `import ${feeds.url("/bmlt.json")}`))).toMatch(
      /0 new, 0 updated, 4 unchanged/,
    );
    expect(await meetingsOf("bmlt")).toHaveLength(4);
  });
});

describe("feeds refused as a whole write nothing", () => {
  const refusals: Array<[string, string, RegExp]> = [
    [
      "a web page",
      "/page",
      /Nothing was imported: the feed is not JSON \(it looks like a web page, not a feed\)\. The meetings from before are unchanged\./,
    ],
    ["JSON that is not a list", "/error-object", /a Meeting Guide feed is a list of meetings/],
    ["a server error", "/broken", /127\.0\.0\.1:\d+ answered with HTTP 500/],
    ["a feed over the size cap", "/huge", /the feed is larger than 2\.0 MB, so nothing was imported/],
  ];
  for (const [what, path, expected] of refusals) {
    it(what, async () => {
      const before = await snapshot();
      const format = path === "/error-object" ? "format:meeting_guide " : "";
      const answer = textOf(await t.chat.command("jo", "meeting-admin", `import ${format}${feeds.url(path)}`));
      expect(answer).toMatch(/Meetings not imported/);
      expect(answer).toMatch(expected);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("a URL that does not answer in time: a clear message, and the previous meetings stay", async () => {
    const before = await snapshot();
    const impatient = createMeetings(
      { db: t.database.prisma, clock: t.clock, logger: t.logs.logger, defaultTimezone: "Europe/London", cipher: testCipher },
      { feedLimits: { timeoutMs: 300 } },
    );
    const started = Date.now();
    const report = await impatient.importFeed(house.id, jo.id, { source: { kind: "url", url: feeds.url("/slow") }, format: "auto" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report).toEqual({
      outcome: "refused",
      reason: expect.stringMatching(/^127\.0\.0\.1:\d+ did not send the feed within 0\.3 seconds$/),
    });
    expect(await snapshot()).toEqual(before);
  });

  it("only web addresses outside the console; a file path is the console's alone", async () => {
    expect(textOf(await t.chat.command("jo", "meeting-admin", "import /etc/passwd"))).toMatch(
      /I can't import that: give the feed's web address \(https:\/\/…\), or leave it out to paste the feed into a form\./,
    );
    expect(textOf(await t.chat.command("jo", "meeting-admin", "import ftp://example.org/feed.json"))).toMatch(
      /give the feed's web address/,
    );
  });

  it("a pasted feed that is not JSON", async () => {
    const before = await snapshot();
    expect(textOf(await t.chat.submit("jo", "mtgimport:auto", { feed: "name,slug\nx,y" }))).toMatch(
      /Nothing was imported: the feed is not JSON/,
    );
    expect(await snapshot()).toEqual(before);
  });
});

describe("meetings typed by a counsellor", () => {
  it("add, edit, remove and restore, with checks a counsellor can act on", async () => {
    const added = textOf(
      await t.chat.command(
        "jo",
        "meeting-admin",
        'add Tuesday house group days:tue time:18:00 duration:75 required:yes "place:Group room"',
      ),
    );
    expect(added).toMatch(
      /Added:\nTuesday house group \[tuesday-house-group\] · required for residents\nTuesdays at 18:00 \(1 h 15 min, Europe\/London\)/,
    );
    expect(added).toMatch(/Where: Group room/);
    expect(textOf(await t.chat.command("jo", "meeting-admin", "add Another days:funday time:18:00"))).toMatch(/"funday" is not a day/);
    expect(textOf(await t.chat.command("jo", "meeting-admin", "add Another days:mon time:25:00"))).toMatch(/time should be a 24-hour time/);
    expect(textOf(await t.chat.command("jo", "meeting-admin", "add Another days:mon"))).toMatch(
      /needs a name, its days and its start time/,
    );
    expect(textOf(await t.chat.command("jo", "meeting-admin", "add Another days:mon time:10:00 link:zoom.example.com"))).toMatch(
      /conference link is not a web address/,
    );
    // A second meeting with the same name gets its own slug.
    expect(textOf(await t.chat.command("jo", "meeting-admin", "add Tuesday house group days:thu time:18:00"))).toMatch(
      /\[tuesday-house-group-2\]/,
    );
    expect(textOf(await t.chat.command("jo", "meeting-admin", "edit tuesday-house-group-2 time:18:30 place:-"))).toMatch(
      /Thursdays at 18:30/,
    );
    expect(textOf(await t.chat.command("jo", "meeting-admin", "edit nothing-like-this time:18:30"))).toMatch(
      /I can't find a meeting called "nothing-like-this"/,
    );
    expect(textOf(await t.chat.command("jo", "meeting-admin", "remove tuesday-house-group-2"))).toMatch(
      /Removed Tuesday house group\. Nobody gets reminders/,
    );
    expect((await meetingsOf("manual")).find((m) => m.externalSlug === "tuesday-house-group-2")?.active).toBe(false);
    expect(textOf(await t.chat.command("jo", "meeting-admin", "restore tuesday-house-group-2"))).toMatch(/Restored:/);
    const list = textOf(await t.chat.command("jo", "meeting-admin", "list"));
    expect(list).toMatch(/Tuesday house group \[tuesday-house-group\] · Tuesdays at 18:00 .* · manual · required · 0 following/);
  });

  it("editing an imported meeting warns that the next import overwrites it", async () => {
    expect(textOf(await t.chat.command("jo", "meeting-admin", "edit hope-online-12 time:20:15"))).toMatch(
      /the next import of that feed will overwrite/,
    );
  });

  it("residents cannot manage meetings", async () => {
    await addResident(t, "sam");
    expect(textOf(await t.chat.command("sam", "meeting-admin", "list"))).toMatch(/\/meeting-admin is for counsellors/);
    expect(textOf(await t.chat.submit("sam", "mtgimport:auto", { feed: "[]" }))).toMatch(/That form isn't for you/);
  });
});
