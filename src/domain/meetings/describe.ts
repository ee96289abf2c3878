import { DateTime } from "luxon";
import { FELLOWSHIP_LABELS, type Fellowship, type WeeklySchedule } from "./meeting.ts";
import { typeLabels } from "./typeCodes.ts";
import { describeWeekdays } from "./weekdays.ts";

/** How a meeting reads in a message: one line for its schedule, one for where it is. */

export interface DescribedMeeting extends WeeklySchedule {
  name: string;
  fellowship: Fellowship;
  types: readonly string[];
  location: string | null;
  address: string | null;
  conferenceUrl: string | null;
  conferencePhone: string | null;
}

export function durationText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "Mondays and Thursdays at 19:00 (1 h, Europe/London)". */
export function scheduleText(meeting: WeeklySchedule): string {
  return `${describeWeekdays(meeting.weekdays)} at ${meeting.startTime} (${durationText(meeting.durationMinutes)}, ${meeting.timezone})`;
}

/** Where to go or how to join; in-person details first, then the link, then the phone line. */
export function placeText(meeting: Pick<DescribedMeeting, "location" | "address" | "conferenceUrl" | "conferencePhone">): string {
  const place = [meeting.location, meeting.address].filter(Boolean).join(", ");
  const parts = [
    place ? `Where: ${place}` : "",
    meeting.conferenceUrl ? `Join: ${meeting.conferenceUrl}` : "",
    meeting.conferencePhone ? `Phone: ${meeting.conferencePhone}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join("\n") : "No place or link is listed; ask a counsellor where it is.";
}

/** "AA · Open · Big Book". */
export function kindText(meeting: Pick<DescribedMeeting, "fellowship" | "types">): string {
  return [FELLOWSHIP_LABELS[meeting.fellowship], ...typeLabels(meeting.types)].join(" · ");
}

/** An instant as a person in `zone` reads it: "Mon 4 Jan 19:00". */
export function localWhen(instant: Date, zone: string, format = "ccc d LLL HH:mm"): string {
  return DateTime.fromJSDate(instant, { zone }).setLocale("en-GB").toFormat(format);
}
