import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectFormat, MAX_FEED_BYTES, MAX_FEED_ROWS, type MeetingDraft, parseFeed } from "../../../src/domain/meetings/index.ts";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/meetings/${name}`, import.meta.url), "utf8");
const london = { format: "auto" as const, timezone: "Europe/London" };

function parsed(text: string, options = london) {
  const result = parseFeed(text, options);
  if (!result.ok) throw new Error(`feed refused: ${result.detail}`);
  return result;
}

const bySlug = (meetings: MeetingDraft[], slug: string) => {
  const found = meetings.find((m) => m.slug === slug);
  if (!found) throw new Error(`${slug} not imported`);
  return found;
};

describe("the Meeting Guide feed fixture", () => {
  const result = parsed(fixture("meeting-guide.json"));

  it("is recognised as Meeting Guide and keeps the six good meetings", () => {
    expect(result.format).toBe("meeting_guide");
    expect(result.meetings.map((m) => m.slug)).toEqual([
      "monday-night-big-book",
      "serenity-at-seven",
      "hope-online-12",
      "4017",
      "womens-step-study",
      "sunday-serenity-7",
    ]);
  });

  it("normalises days, times, lengths, zones, addresses and types", () => {
    expect(bySlug(result.meetings, "monday-night-big-book")).toMatchObject({
      name: "Monday Night Big Book",
      fellowship: "AA",
      weekdays: [1],
      startTime: "19:00",
      durationMinutes: 90,
      timezone: "Europe/London",
      types: ["O", "B", "X"],
      location: "St Mary's Church Hall",
      address: "12 Church Lane, London, N1 2AB, UK",
      notes: "Side door on Church Lane. Tea from 18:45.",
      required: false,
    });
    // An array of days, a time without its leading zero, no zone (so the house's), empty link fields.
    expect(bySlug(result.meetings, "serenity-at-seven")).toMatchObject({
      weekdays: [2, 4],
      startTime: "07:00",
      durationMinutes: 60,
      timezone: "Europe/London",
      address: "40 High Street, London E1 6AN, UK",
      conferenceUrl: null,
      conferencePhone: null,
    });
    // A day given as a string, a conference link with its notes folded into the notes.
    expect(bySlug(result.meetings, "hope-online-12")).toMatchObject({
      weekdays: [3],
      conferenceUrl: "https://zoom.example.com/j/81234567890",
      conferencePhone: "+44 20 3481 5237,,81234567890#",
      notes: "Passcode: hope",
      types: ["ONL", "O", "SP"],
    });
    // A numeric slug, a meeting running past midnight, types as a comma-separated string.
    expect(bySlug(result.meetings, "4017")).toMatchObject({ startTime: "23:00", durationMinutes: 90, types: ["O", "D", "CAN"] });
    expect(bySlug(result.meetings, "womens-step-study")).toMatchObject({
      notes: "Step-free access from the car park.",
      durationMinutes: 60,
    });
  });

  it("reports every bad row by slug with a reason", () => {
    expect(result.rejected).toEqual([
      { slug: "broken-clock", reason: 'time "25:00" is not a 24-hour time like 19:30' },
      { slug: "eighth-day", reason: "day 7 is not 0 (Sunday) to 6 (Saturday)" },
      { slug: "row 9", reason: "slug is missing" },
      { slug: "nameless-meeting", reason: "name is missing" },
      { slug: "by-appointment", reason: "no day: meetings by appointment have no time to remind anyone of" },
      { slug: "zoom-typo", reason: "conference link is not a web address (https://…)" },
      { slug: "monday-night-big-book", reason: "the same slug appears earlier in the feed" },
      { slug: "far-away", reason: 'timezone "Mars/Olympus_Mons" is not a time zone name like America/New_York' },
      { slug: "row 15", reason: "row 15 is not a meeting (expected an object)" },
    ]);
  });

  it("a fellowship can be chosen for the whole feed", () => {
    const ca = parsed(fixture("meeting-guide.json"), { ...london, fellowship: "CA" } as typeof london);
    expect(new Set(ca.meetings.map((m) => m.fellowship))).toEqual(new Set(["CA"]));
  });
});

describe("the BMLT GetSearchResults fixture", () => {
  const result = parsed(fixture("bmlt-search-results.json"));

  it("is recognised as BMLT and turns weekdays 1-7 from Sunday into 0-6", () => {
    expect(result.format).toBe("bmlt");
    expect(result.meetings.map((m) => [m.slug, m.weekdays])).toEqual([
      ["bmlt-1201", [0]],
      ["bmlt-1202", [1]],
      ["bmlt-1203", [6]],
      ["bmlt-1204", [3]],
    ]);
  });

  it("reads HH:MM:SS times and durations, fills in the house zone, maps formats to Meeting Guide types", () => {
    expect(bySlug(result.meetings, "bmlt-1201")).toMatchObject({
      name: "Sunday Just For Today",
      fellowship: "NA",
      startTime: "19:30",
      durationMinutes: 90,
      timezone: "Europe/London",
      types: ["O", "X"],
      location: "Holy Trinity Church",
      address: "1 Trinity Square, London, EC3N 4DJ, GB",
      notes: "Newcomers welcome\nBasement, ring the bell",
    });
    expect(bySlug(result.meetings, "bmlt-1202")).toMatchObject({ timezone: "Europe/London", types: ["C", "BE"], durationMinutes: 60 });
    expect(bySlug(result.meetings, "bmlt-1203")).toMatchObject({
      types: ["O", "ONL", "SP"],
      conferenceUrl: "https://meet.example.org/na-saturday",
      conferencePhone: "+44 20 7946 0000",
      notes: "Meeting ID 555 0101",
      address: null,
    });
    // "00:00:00" means "not set" on some servers; hybrid venues are online too.
    expect(bySlug(result.meetings, "bmlt-1204")).toMatchObject({ startTime: "19:00", durationMinutes: 60, types: ["ONL"] });
  });

  it("reports bad rows by slug with a reason", () => {
    expect(result.rejected).toEqual([
      { slug: "bmlt-1205", reason: 'weekday_tinyint "8" is not 1 (Sunday) to 7 (Saturday)' },
      { slug: "bmlt-1206", reason: 'start_time "25:00:00" is not a 24-hour time like 19:30:00' },
      { slug: "bmlt-1207", reason: "the meeting is not published" },
      { slug: "row 8", reason: "id_bigint is missing or not a number" },
      { slug: "bmlt-1209", reason: 'duration_time "an hour" is not a length like 01:30:00' },
    ]);
  });

  it("reads the { meetings, formats } answer of get_used_formats, mapping keys through their world ids", () => {
    const answer = {
      meetings: [{ id_bigint: 7, weekday_tinyint: 2, start_time: "18:00:00", meeting_name: "Numbers Not Strings", formats: "Op,Bg" }],
      formats: [
        { key_string: "Op", name_string: "Open", world_id: "OPEN" },
        { key_string: "Bg", name_string: "Beginners", world_id: "BEG" },
      ],
    };
    const read = parsed(JSON.stringify(answer));
    expect(read.format).toBe("bmlt");
    expect(read.meetings[0]).toMatchObject({ slug: "bmlt-7", weekdays: [1], types: ["O", "BE"] });
  });
});

describe("feeds refused as a whole", () => {
  it("text that is not JSON, or is a web page", () => {
    expect(parseFeed("name,slug,day\nx,y,1", london)).toMatchObject({ ok: false, problem: "not_json" });
    expect(parseFeed("<!doctype html><html>", london)).toMatchObject({ ok: false, detail: expect.stringMatching(/looks like a web page/) });
  });

  it("JSON that is not a list of meetings", () => {
    expect(parseFeed('{"error": "not allowed"}', { ...london, format: "meeting_guide" })).toMatchObject({
      ok: false,
      problem: "not_array",
    });
    expect(parseFeed('"hello"', { ...london, format: "bmlt" })).toMatchObject({ ok: false, problem: "not_array" });
  });

  it("an empty feed, too many rows, and too many bytes", () => {
    expect(parseFeed("[]", london)).toMatchObject({ ok: false, problem: "empty" });
    const many = JSON.stringify(
      Array.from({ length: MAX_FEED_ROWS + 1 }, (_, i) => ({ name: `M${i}`, slug: `m${i}`, day: 1, time: "19:00" })),
    );
    expect(parseFeed(many, london)).toMatchObject({ ok: false, problem: "too_many_rows" });
    const huge = `[${" ".repeat(MAX_FEED_BYTES)}]`;
    expect(parseFeed(huge, london)).toMatchObject({ ok: false, problem: "too_large" });
  });

  it("the format is told apart by the first meeting's keys", () => {
    expect(detectFormat([{ name: "x", slug: "y" }])).toBe("meeting_guide");
    expect(detectFormat([{ meeting_name: "x", weekday_tinyint: "1" }])).toBe("bmlt");
    expect(detectFormat({ meetings: [] })).toBe("bmlt");
  });
});

describe("user text in feeds is cleaned and capped", () => {
  it("control characters go, long notes are shortened, long names are shortened", () => {
    const row = {
      name: `Evil\u0007 ${"N".repeat(300)}`,
      slug: "evil",
      day: 1,
      time: "19:00",
      notes: `line one\u0000\r\nline two ${"x".repeat(2000)}`,
    };
    const [meeting] = parsed(JSON.stringify([row])).meetings;
    expect(meeting?.name.length).toBe(200);
    expect(meeting?.name.includes("\u0007")).toBe(false);
    expect(meeting?.notes?.length).toBe(1000);
    expect(meeting?.notes?.startsWith("line one\nline two")).toBe(true);
  });
});
