import { ICalCalendar, ICalEventRepeatingFreq, ICalWeekday } from "ical-generator";
import { DateTime } from "luxon";
import { kindText } from "./describe.ts";
import type { Fellowship } from "./meeting.ts";
import { nextOccurrences } from "./occurrences.ts";
import { vtimezone } from "./vtimezone.ts";

/**
 * An iCalendar file of weekly meetings: one recurring event per meeting, written in the meeting's
 * own zone (DTSTART;TZID=… with RRULE:FREQ=WEEKLY) and carrying a VTIMEZONE for that zone, so a
 * calendar program shows the right hour on both sides of a clock change.
 */

export interface CalendarMeeting {
  id: string;
  name: string;
  fellowship: Fellowship;
  weekdays: readonly number[];
  startTime: string;
  durationMinutes: number;
  timezone: string;
  types: readonly string[];
  location: string | null;
  address: string | null;
  conferenceUrl: string | null;
  conferencePhone: string | null;
  notes: string | null;
}

const BY_DAY = [ICalWeekday.SU, ICalWeekday.MO, ICalWeekday.TU, ICalWeekday.WE, ICalWeekday.TH, ICalWeekday.FR, ICalWeekday.SA];

/**
 * The first occurrence from the start of `now`'s local day whose wall time is the meeting's own.
 * RRULE repeats DTSTART's wall time, so an occurrence moved by a spring-forward gap must not be
 * the one written down.
 */
function firstWrittenStart(meeting: CalendarMeeting, now: Date): DateTime | null {
  const startOfDay = DateTime.fromJSDate(now, { zone: meeting.timezone }).startOf("day").toJSDate();
  for (const occurrence of nextOccurrences(meeting, startOfDay, 4)) {
    const local = DateTime.fromJSDate(occurrence.startsAt, { zone: meeting.timezone });
    if (local.toFormat("HH:mm") === meeting.startTime) return local;
  }
  return null;
}

function description(meeting: CalendarMeeting): string {
  return [
    kindText(meeting),
    meeting.conferenceUrl ? `Join: ${meeting.conferenceUrl}` : "",
    meeting.conferencePhone ? `Phone: ${meeting.conferencePhone}` : "",
    meeting.notes ?? "",
  ]
    .filter(Boolean)
    .join("\n");
}

export function meetingsCalendar(meetings: readonly CalendarMeeting[], options: { now: Date; name: string }): string {
  const year = DateTime.fromJSDate(options.now, { zone: "UTC" }).year;
  const calendar = new ICalCalendar({
    name: options.name,
    prodId: { company: "recovery-checkin-bot", product: "meetings", language: "EN" },
    timezone: { name: null, generator: (zone) => vtimezone(zone, year - 1, year + 5) },
  });
  for (const meeting of meetings) {
    const start = firstWrittenStart(meeting, options.now);
    if (!start) continue;
    const place = [meeting.location, meeting.address].filter(Boolean).join(", ");
    calendar.createEvent({
      id: `meeting-${meeting.id}@recovery-checkin-bot`,
      start,
      end: start.plus({ minutes: meeting.durationMinutes }),
      timezone: meeting.timezone,
      stamp: options.now,
      summary: meeting.name,
      description: description(meeting),
      location: place || (meeting.conferenceUrl ? "Online" : null),
      url: meeting.conferenceUrl,
      repeating: { freq: ICalEventRepeatingFreq.WEEKLY, byDay: [...meeting.weekdays].sort().map((d) => BY_DAY[d] ?? ICalWeekday.SU) },
    });
  }
  return calendar.toString();
}
