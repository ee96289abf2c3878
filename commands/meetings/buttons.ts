import { update } from "../../src/core/command.ts";
import { message } from "../../src/core/message.ts";
import type { AttendanceStatus } from "../../src/generated/prisma/client.ts";
import { recordedText } from "../../src/services/meetings/messages.ts";
import type { BotAction } from "../define.ts";
import { followReplies } from "./meetings.ts";
import { say } from "./replies.ts";

const STATUSES: readonly AttendanceStatus[] = ["went", "could_not", "excused"];

/**
 * Meeting buttons and menus, routed by "mtg:<what>":
 * - mtg:att:<meetingId>:<localDate>:<status>  "did you go?" answers
 * - mtg:unsub:<meetingId>                      "stop reminders" under a reminder
 * - mtg:follow / mtg:unfollow                  select menus whose value is a meeting id
 */
export const meetingButtons: BotAction = {
  prefix: "mtg",
  access: ["resident", "counsellor", "admin"],
  async run(ctx, parts) {
    const member = ctx.member;
    if (!member) return [];
    const [, what, meetingId, localDate, status] = parts;
    switch (what) {
      case "att": {
        const chosen = STATUSES.find((s) => s === status);
        if (!meetingId || !localDate || !chosen) return [];
        const result = await ctx.services.meetings.recordAttendance(member.id, meetingId, localDate, chosen, "dm");
        switch (result.outcome) {
          case "not_found":
            return say("That meeting isn't one of yours any more.");
          case "not_yet":
            return say("That meeting hasn't started yet; answer once it's over.");
          case "too_old":
            return say("That was a while ago, so it can't be changed now.");
          case "recorded":
            return [update(message(recordedText(result.status, result.meeting.name, result.when, result.next)))];
        }
        return [];
      }
      case "unsub":
        if (!meetingId) return [];
        return followReplies(ctx.services, member.id, { id: meetingId }, false, "that meeting");
      case "follow":
      case "unfollow": {
        const id = ctx.event.value;
        if (!id) return [];
        return followReplies(ctx.services, member.id, { id }, what === "follow", "that meeting");
      }
      default:
        return [];
    }
  },
};
