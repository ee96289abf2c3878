import { DateTime } from "luxon";
import { z } from "zod";
import { type Reply, reply } from "../../src/core/command.ts";
import { LIMITS, message, type SelectMenu, truncate } from "../../src/core/message.ts";
import { opt } from "../../src/core/options.ts";
import { placeText, scheduleText } from "../../src/domain/meetings/index.ts";
import type { Meeting } from "../../src/generated/prisma/client.ts";
import type { Services } from "../../src/services/index.ts";
import type { MeetingTarget } from "../../src/services/meetings/lookup.ts";
import { listLine } from "../../src/services/meetings/messages.ts";
import { command } from "../define.ts";
import { lookupProblem, say } from "./replies.ts";

const ACTIONS = ["list", "subscribe", "unsubscribe", "mine", "calendar"] as const;
const WEEK_LINES = 25;

/** A select menu of meetings; Slack allows 75 characters in an option, the smallest of the platforms. */
export function meetingSelect(actionId: string, placeholder: string, meetings: Meeting[]): SelectMenu | undefined {
  if (meetings.length === 0) return undefined;
  return {
    actionId,
    placeholder,
    options: meetings.slice(0, LIMITS.selectOptions).map((m) => ({
      value: m.id,
      label: truncate(m.name, 75),
      description: truncate(scheduleText(m), 75),
    })),
  };
}

async function listReplies(services: Services, memberId: string): Promise<Reply[]> {
  const { zone, today, items, followable } = await services.meetings.residents.upcoming(memberId);
  const todays = items.filter((i) => i.readerDate === today);
  const later = items.filter((i) => i.readerDate !== today);
  const lines = [
    `Today, ${DateTime.fromISO(today).setLocale("en-GB").toFormat("cccc d LLL")} (times in ${zone})`,
    ...(todays.length ? todays.map((i) => listLine(i.meeting, i.occurrence.startsAt, zone, i.followed, false)) : ["Nothing more today."]),
    "",
    "Later this week",
    ...(later.length
      ? later.slice(0, WEEK_LINES).map((i) => listLine(i.meeting, i.occurrence.startsAt, zone, i.followed, true))
      : ["Nothing listed."]),
    ...(later.length > WEEK_LINES ? [`…and ${later.length - WEEK_LINES} more.`] : []),
    "",
    "Follow a meeting to get a reminder before it starts: /meetings subscribe <name in brackets>, or choose one below.",
  ];
  if (items.length === 0 && followable.length === 0) {
    return say("The house hasn't listed any meetings yet. A counsellor can add them with /meeting-admin.");
  }
  const select = meetingSelect("mtg:follow", "Follow a meeting", followable);
  return [
    reply(message(truncate(lines.join("\n"), LIMITS.textLength), { title: "Meetings", ephemeral: true, ...(select ? { select } : {}) })),
  ];
}

async function mineReplies(services: Services, memberId: string): Promise<Reply[]> {
  const { meetings, followedIds } = await services.meetings.residents.followed(memberId);
  if (meetings.length === 0) return say("You don't follow any meetings yet. Type /meetings to see what's on and follow one.");
  const lines = meetings.map(
    (m) =>
      `• ${m.name} [${m.externalSlug}]${m.required && !followedIds.has(m.id) ? " · house meeting" : ""}\n  ${scheduleText(m)}\n  ${placeText(m).replaceAll("\n", "\n  ")}`,
  );
  const select = meetingSelect(
    "mtg:unfollow",
    "Stop following a meeting",
    meetings.filter((m) => followedIds.has(m.id)),
  );
  return [
    reply(
      message(
        truncate(
          `${lines.join("\n")}\n\nYou get a reminder before each one. /meetings calendar puts them in your calendar.`,
          LIMITS.textLength,
        ),
        {
          title: "Meetings you follow",
          ephemeral: true,
          ...(select ? { select } : {}),
        },
      ),
    ),
  ];
}

/** The reply to following or unfollowing, shared by the command and the select menus. */
export async function followReplies(
  services: Services,
  memberId: string,
  target: MeetingTarget,
  follow: boolean,
  typed: string,
): Promise<Reply[]> {
  const residents = services.meetings.residents;
  const result = follow ? await residents.follow(memberId, target) : await residents.unfollow(memberId, target);
  if (result.outcome === "not_found" || result.outcome === "ambiguous") return lookupProblem(result, typed);
  const { meeting } = result;
  switch (result.outcome) {
    case "followed":
      return say(`You follow ${meeting.name} now: ${scheduleText(meeting)}. You'll get a reminder before each one.`);
    case "already":
      return say(`You already follow ${meeting.name}.`);
    case "unfollowed":
      return say(
        meeting.required
          ? `Done. ${meeting.name} is one of the house's required meetings, so its reminders continue.`
          : `You no longer follow ${meeting.name}. No more reminders for it.`,
      );
    case "not_following":
      return say(`You weren't following ${meeting.name}.`);
  }
}

export const meetingsCommand = command({
  name: "meetings",
  description: "Today's and this week's meetings; follow one for reminders, or get them as a calendar file",
  access: ["resident", "counsellor", "admin"],
  options: z.object({
    action: opt.choice("list, subscribe, unsubscribe, mine or calendar", ACTIONS).optional(),
    meeting: opt.text("The meeting's short name, shown in [brackets] in /meetings", 120).optional(),
  }),
  examples: ["/meetings", "/meetings subscribe big-book-study", "/meetings calendar"],
  async run(ctx, input) {
    const member = ctx.member;
    if (!member) return [];
    const services = ctx.services;
    switch (input.action ?? "list") {
      case "list":
        return listReplies(services, member.id);
      case "mine":
        return mineReplies(services, member.id);
      case "subscribe":
      case "unsubscribe": {
        const follow = input.action === "subscribe";
        if (!input.meeting) return listReplies(services, member.id);
        const replies = await followReplies(services, member.id, { ref: input.meeting }, follow, input.meeting);
        if (follow && member.status === "invited") {
          replies.push(...say("Reminders start once you've agreed to take part. Type /checkin to see what that means."));
        }
        return replies;
      }
      case "calendar": {
        const calendar = await services.meetings.residents.calendar(member.id);
        if (!calendar)
          return say("You don't follow any meetings yet, so there's nothing to put in a calendar. Type /meetings to follow one.");
        return [
          reply(
            message(
              `Your ${calendar.count === 1 ? "meeting" : `${calendar.count} meetings`} as a calendar file. Open it to add ${calendar.count === 1 ? "it" : "them"} to your phone or computer's calendar; times follow each meeting's own time zone.`,
              { attachments: [calendar.attachment], ephemeral: true },
            ),
          ),
        ];
      }
    }
  },
});
