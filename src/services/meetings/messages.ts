import { type Message, message, truncate } from "../../core/message.ts";
import { localDateOf } from "../../domain/checkin/schedule.ts";
import { durationText, FELLOWSHIP_LABELS, kindText, localWhen, type Occurrence, placeText } from "../../domain/meetings/index.ts";
import type { AttendanceStatus, Meeting } from "../../generated/prisma/client.ts";
import type { ResidentWeek } from "./attendance.ts";

/**
 * Every meeting message a resident or the house channel sees. Short, one idea each, the action
 * in a button, and saying who sees an answer before it is given.
 */

const ATTENDANCE_WHO_SEES = "Only you and the house counsellors see the answer.";

const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  went: "I went",
  could_not: "I couldn't make it",
  excused: "I was excused",
};

/** "19:00 today", "19:00 tomorrow" or "19:00 on Tue 5 Jan", in the reader's zone, naming the zone when it is not the meeting's. */
function whenText(startsAt: Date, readerZone: string, meetingZone: string, now: Date): string {
  const time = localWhen(startsAt, readerZone, "HH:mm");
  const day = localDateOf(startsAt, readerZone);
  const today = localDateOf(now, readerZone);
  const tomorrow = localDateOf(new Date(now.getTime() + 24 * 3600_000), readerZone);
  const dayText = day === today ? "today" : day === tomorrow ? "tomorrow" : `on ${localWhen(startsAt, readerZone, "ccc d LLL")}`;
  const zoneText = readerZone === meetingZone ? "" : ` (${readerZone})`;
  return `${time}${zoneText} ${dayText}`;
}

/** "in 45 minutes", "in 1 hour", "in 1 h 30 min": how far off a meeting is, as a person would say it. */
function untilText(minutes: number): string {
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  if (minutes % 60 === 0) return `in ${minutes / 60} hour${minutes === 60 ? "" : "s"}`;
  return `in ${durationText(minutes)}`;
}

export function reminderMessage(
  meeting: Meeting,
  occurrence: Occurrence,
  options: { readerZone: string; now: Date; subscribed: boolean },
): Message {
  const minutes = Math.max(1, Math.round((occurrence.startsAt.getTime() - options.now.getTime()) / 60_000));
  const lines = [
    `${meeting.name} starts at ${whenText(occurrence.startsAt, options.readerZone, meeting.timezone, options.now)}, ${untilText(minutes)}.`,
    placeText(meeting),
  ];
  if (meeting.required) lines.push("This is one of the house's required meetings.");
  return message(truncate(lines.join("\n"), 1500), {
    title: "Meeting reminder",
    ...(options.subscribed && !meeting.required
      ? { buttons: [[{ actionId: `mtg:unsub:${meeting.id}`, label: "Stop reminders for this meeting" }]] }
      : {}),
  });
}

export function followUpMessage(meeting: Meeting, occurrence: Occurrence, readerZone: string): Message {
  const when = localWhen(occurrence.startsAt, readerZone, "ccc d LLL 'at' HH:mm");
  return message(`Did you get to ${meeting.name} (${when})? ${ATTENDANCE_WHO_SEES}`, {
    title: "Did you go?",
    buttons: [
      [
        { actionId: `mtg:att:${meeting.id}:${occurrence.localDate}:went`, label: ATTENDANCE_LABELS.went, style: "success" },
        { actionId: `mtg:att:${meeting.id}:${occurrence.localDate}:could_not`, label: ATTENDANCE_LABELS.could_not },
        { actionId: `mtg:att:${meeting.id}:${occurrence.localDate}:excused`, label: ATTENDANCE_LABELS.excused },
      ],
    ],
  });
}

export function recordedText(status: AttendanceStatus, meetingName: string, when: string, next: string | null): string {
  switch (status) {
    case "went":
      return `Thank you. Noted that you went to ${meetingName} (${when}).`;
    case "could_not":
      return `Thanks for letting me know. Noted that you couldn't make ${meetingName} (${when}).${next ? ` The next one is ${next}.` : ""}`;
    case "excused":
      return `Noted that you were excused from ${meetingName} (${when}).`;
  }
}

/** The house channel's list: meeting details only, never anything about a resident. */
export function dailyPostMessage(items: Array<{ meeting: Meeting; occurrence: Occurrence }>, houseZone: string): Message {
  const lines = items.map(({ meeting, occurrence }) => {
    const details = [
      meeting.required ? "house meeting" : "",
      [meeting.location, meeting.address].filter(Boolean).join(", "),
      meeting.conferenceUrl ? `online: ${meeting.conferenceUrl}` : "",
    ].filter(Boolean);
    return `• ${localWhen(occurrence.startsAt, houseZone, "HH:mm")} ${meeting.name} (${FELLOWSHIP_LABELS[meeting.fellowship]})${details.map((d) => ` · ${d}`).join("")}`;
  });
  return message(truncate(`${lines.join("\n")}\nType /meetings to follow one and get a reminder before it starts.`, 3000), {
    title: "Today's meetings",
  });
}

/** One line for a meeting in a resident's list. */
export function listLine(meeting: Meeting, startsAt: Date, zone: string, followed: boolean, withDay: boolean): string {
  const when = localWhen(startsAt, zone, withDay ? "ccc d LLL HH:mm" : "HH:mm");
  const marks = [meeting.required ? "house meeting" : "", followed && !meeting.required ? "you follow this" : ""].filter(Boolean);
  const where = meeting.location ?? meeting.address ?? (meeting.conferenceUrl ? "online" : "");
  const kind = kindText({ fellowship: meeting.fellowship, types: meeting.types.slice(0, 2) });
  return `• ${when} ${meeting.name} (${kind})${where ? ` · ${where}` : ""}${marks.length ? ` · ${marks.join(", ")}` : ""} [${meeting.externalSlug}]`;
}

/** One resident's week of meetings in a line, for /attendance (and for /resident and the digest to reuse). */
export function attendanceLine(week: ResidentWeek): string {
  const checkin =
    week.checkinAnsweredDays > 0
      ? ` · check-in said yes on ${week.checkinYesDays} of ${week.checkinAnsweredDays} days`
      : " · no check-in answers about meetings";
  return `${week.displayName}: went ${week.went} · couldn't ${week.couldNot} · excused ${week.excused} · no answer ${week.noAnswer}${checkin} · days with a meeting: ${week.meetingDays}`;
}
