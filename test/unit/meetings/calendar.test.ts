import ICAL from "ical.js";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type CalendarMeeting, meetingsCalendar, nextOccurrences } from "../../../src/domain/meetings/index.ts";
import { vtimezone } from "../../../src/domain/meetings/vtimezone.ts";

const base: Omit<CalendarMeeting, "id" | "name" | "weekdays" | "startTime" | "timezone"> = {
  fellowship: "AA",
  durationMinutes: 90,
  types: ["O", "B"],
  location: "St Mary's, Hall; side door",
  address: "12 Church Lane, London",
  conferenceUrl: null,
  conferencePhone: null,
  notes: "Tea from 18:45",
};

/** Parses a calendar as a calendar program would, registering its VTIMEZONEs first. */
function readCalendar(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  return root.getAllSubcomponents("vevent").map((component) => new ICAL.Event(component));
}

function firstStarts(event: ICAL.Event, count: number): string[] {
  const iterator = event.iterator();
  const found: string[] = [];
  for (let next = iterator.next(); next && found.length < count; next = iterator.next()) found.push(next.toJSDate().toISOString());
  return found;
}

describe("the calendar file", () => {
  const meetings: CalendarMeeting[] = [
    { ...base, id: "m-london", name: 'Big Book "Monday", St Mary\'s', weekdays: [1, 4], startTime: "19:00", timezone: "Europe/London" },
    {
      ...base,
      id: "m-ny",
      name: "Early Bird",
      weekdays: [0],
      startTime: "07:00",
      timezone: "America/New_York",
      conferenceUrl: "https://zoom.example.com/j/1",
    },
    { ...base, id: "m-sydney", name: "Harbour Group", weekdays: [5], startTime: "18:30", timezone: "Australia/Sydney" },
  ];
  const now = new Date("2027-03-20T12:00:00Z");
  const text = meetingsCalendar(meetings, { now, name: "Oak House meetings" });
  const events = readCalendar(text);

  it("has one weekly event per meeting with a TZID start, a VTIMEZONE per zone and escaped text", () => {
    expect(events.map((e) => e.uid)).toEqual([
      "meeting-m-london@recovery-checkin-bot",
      "meeting-m-ny@recovery-checkin-bot",
      "meeting-m-sydney@recovery-checkin-bot",
    ]);
    expect(text).toMatch(/DTSTART;TZID=Europe\/London:20270322T190000/);
    expect(text).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=MO,TH/);
    expect(text.match(/BEGIN:VTIMEZONE/g)).toHaveLength(3);
    const [london] = events;
    expect(london?.summary).toBe('Big Book "Monday", St Mary\'s');
    expect(london?.location).toBe("St Mary's, Hall; side door, 12 Church Lane, London");
    expect(london?.description).toBe("AA · Open · Big Book\nTea from 18:45");
    expect(london?.duration.toSeconds()).toBe(90 * 60);
  });

  it("parsed back, every occurrence for a year matches the bot's own reminders to the minute, across every clock change", () => {
    for (const [index, meeting] of meetings.entries()) {
      const event = events[index];
      if (!event) throw new Error("missing event");
      const fromCalendar = firstStarts(event, 104);
      const startOfDay = DateTime.fromJSDate(now, { zone: meeting.timezone }).startOf("day").toJSDate();
      const fromBot = nextOccurrences(meeting, startOfDay, 104).map((o) => o.startsAt.toISOString());
      expect(fromCalendar).toEqual(fromBot);
    }
  });

  it("London's occurrences sit at 19:00 GMT before 28 March 2027 and at 18:00 UTC (19:00 BST) after", () => {
    const starts = firstStarts(events[0] as ICAL.Event, 4);
    expect(starts).toEqual([
      "2027-03-22T19:00:00.000Z",
      "2027-03-25T19:00:00.000Z",
      "2027-03-29T18:00:00.000Z",
      "2027-04-01T18:00:00.000Z",
    ]);
  });
});

describe("VTIMEZONE from the runtime's zone data", () => {
  it("writes yearly rules for zones with a steady daylight-saving rule and a single offset for zones without", () => {
    const london = vtimezone("Europe/London", 2026) ?? "";
    expect(london).toMatch(
      /BEGIN:DAYLIGHT\r\nDTSTART:20260329T010000\r\nTZOFFSETFROM:\+0000\r\nTZOFFSETTO:\+0100\r\nTZNAME:BST\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU/,
    );
    expect(london).toMatch(/RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU/);
    expect(vtimezone("America/New_York", 2026)).toMatch(/BYMONTH=3;BYDAY=2SU[\s\S]*BYMONTH=11;BYDAY=1SU/);
    const tokyo = vtimezone("Asia/Tokyo", 2026) ?? "";
    expect(tokyo).toMatch(/TZOFFSETFROM:\+0900\r\nTZOFFSETTO:\+0900/);
    expect(tokyo).not.toMatch(/RRULE/);
    expect(vtimezone("Not/AZone", 2026)).toBeNull();
  });

  it("parsed by ical.js, local times convert to the same instants luxon gives, for years after the span it scanned", () => {
    for (const zone of [
      "Europe/London",
      "America/New_York",
      "Australia/Sydney",
      "Australia/Lord_Howe",
      "Asia/Kolkata",
      "America/Sao_Paulo",
    ]) {
      const component = new ICAL.Component(ICAL.parse(vtimezone(zone, 2026, 2028) ?? ""));
      const timezone = new ICAL.Timezone(component);
      for (let day = 0; day < 6 * 365; day += 5) {
        const wall = DateTime.fromObject({ year: 2026, month: 1, day: 1, hour: 19, minute: 15 }, { zone }).plus({ days: day });
        const time = new ICAL.Time(
          { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute, second: 0, isDate: false },
          timezone,
        );
        expect(`${zone} ${time.toJSDate().toISOString()}`).toBe(`${zone} ${wall.toUTC().toISO({ suppressMilliseconds: false })}`);
      }
    }
  });
});
