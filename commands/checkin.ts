import { DateTime } from "luxon";
import { z } from "zod";
import { type Reply, reply, update } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import { type Feeling, parseAnswer } from "../src/domain/checkin/index.ts";
import type { AnswerPatch } from "../src/services/checkins/answers.ts";
import { welcomeMessage } from "../src/services/checkins/enrolment.ts";
import { noteForm } from "../src/services/checkins/messages.ts";
import { answerReplies } from "./checkinReplies.ts";
import type { BotAction, BotDirectText, BotForm } from "./define.ts";
import { command } from "./define.ts";

const FEELINGS = ["steady", "struggling", "used", "help"] as const;

/** Residents who have not agreed yet are shown the welcome instead of a check-in. */
function notYetAgreed(status: string | undefined, houseName: string | undefined): Reply[] | null {
  if (status !== "invited") return null;
  return [reply(welcomeMessage(houseName ?? "the house"))];
}

export const checkinCommand = command({
  name: "checkin",
  description: "Answer today's check-in (any time, or change your answer while it's open)",
  access: ["resident"],
  options: z.object({
    status: opt.choice("How today is: steady, struggling, used or help", FEELINGS).optional(),
    craving: opt.integer("Craving from 0 (none) to 10", 0, 10).optional(),
    mood: opt.integer("Mood from 1 (very low) to 5 (great)", 1, 5).optional(),
    meeting: opt.boolean("Did you get to a meeting today? yes or no").optional(),
    note: opt.text("An optional note, only counsellors read it", 1000, true).optional(),
  }),
  examples: ["/checkin steady 2 4 yes", "/checkin status:struggling craving:6 mood:2 meeting:no note:long day"],
  async run(ctx, input) {
    const member = ctx.member;
    if (!member) return [];
    const waiting = notYetAgreed(member.status, ctx.house?.name);
    if (waiting) return waiting;
    const patch: AnswerPatch = {
      feeling: input.status as Feeling | undefined,
      craving: input.craving,
      mood: input.mood,
      meetingToday: input.meeting,
      note: input.note,
    };
    return answerReplies(await ctx.services.checkins.answers.answerCurrent(member.id, patch, "command"), false);
  },
});

/** Buttons of the check-in: ci:<step>:<checkinId>[:<value>]. */
export const checkinAction: BotAction = {
  prefix: "ci",
  access: ["resident"],
  formFor(parts) {
    return parts[1] === "n" && parts[2] ? noteForm(parts[2]) : null;
  },
  async run(ctx, parts) {
    const member = ctx.member;
    const [, step, checkinId, value] = parts;
    if (!member || !checkinId) return [];
    const answers = ctx.services.checkins.answers;
    const patch: AnswerPatch = {};
    switch (step) {
      case "f":
        if (!FEELINGS.includes(value as Feeling)) return [];
        patch.feeling = value as Feeling;
        break;
      case "c":
        patch.craving = Number(value);
        if (!Number.isInteger(patch.craving) || patch.craving < 0 || patch.craving > 10) return [];
        break;
      case "m":
        patch.mood = Number(value);
        if (!Number.isInteger(patch.mood) || patch.mood < 1 || patch.mood > 5) return [];
        break;
      case "g":
        patch.meetingToday = value === "yes";
        break;
      case "d": {
        const checkin = await answers.ownCheckin(member.id, checkinId);
        if (!checkin) return answerReplies({ outcome: "not_found" }, false);
        const progress = await answers.progress(member.id);
        return answerReplies(
          {
            outcome: "saved",
            checkin,
            next: null,
            progress,
            lapseRecorded: false,
            crisis: false,
            houseCountry: ctx.house?.country ?? "GB",
          },
          true,
        );
      }
      default:
        return [];
    }
    return answerReplies(await answers.answerById(member.id, checkinId, patch, "button"), true);
  },
};

export const checkinNoteForm: BotForm = {
  prefix: "cinote",
  access: ["resident"],
  async run(ctx, parts, values) {
    const member = ctx.member;
    const checkinId = parts[1];
    const note = (values.note ?? "").trim();
    if (!member || !checkinId) return [];
    if (!note) return [reply(message("The note was empty, so nothing was added.", { ephemeral: true }))];
    if (note.length > 1000) {
      return [
        reply(
          message(`Notes can be up to 1,000 characters; yours was ${note.length}. Your other answers are saved; try a shorter note.`, {
            ephemeral: true,
          }),
        ),
      ];
    }
    return answerReplies(await ctx.services.checkins.answers.answerById(member.id, checkinId, { note }, "form"), false);
  },
};

export const consentAction: BotAction = {
  prefix: "consent",
  access: ["resident", "counsellor", "admin"],
  async run(ctx, parts) {
    const member = ctx.member;
    if (!member) return [];
    if (parts[1] === "agree") {
      const { nextAt, time, zone } = await ctx.services.checkins.enrolment.agree(member.id);
      const when = nextAt ? DateTime.fromJSDate(nextAt, { zone }).toFormat("ccc d LLL 'at' HH:mm") : null;
      return [
        update(
          message(
            when
              ? `Thank you. Your first check-in comes ${when} (${zone}), then every day at ${time}. Change it with /schedule, pause with /pause.`
              : "Thank you, that's recorded.",
          ),
        ),
      ];
    }
    return [update(message("No problem. Nothing is scheduled. Whenever you're ready, type /checkin and you'll see this again."))];
  },
};

/** Plain words in a DM ("sober, craving 3, mood 4") answer the open check-in; the rest is asked with buttons. */
export const checkinText: BotDirectText = {
  name: "checkin-text",
  async run(ctx) {
    const member = ctx.member;
    if (!member || member.role !== "resident") return null;
    const waiting = notYetAgreed(member.status, ctx.house?.name);
    if (waiting) return waiting;
    const parsed = parseAnswer(ctx.event.text);
    if (!parsed.understood) {
      return [
        reply(
          message(
            "I couldn't read that as a check-in. You can reply like \"sober, craving 2, mood 4, meeting yes\", use /checkin, or press the buttons on today's check-in. If you need help now, type /sos.",
          ),
        ),
      ];
    }
    const patch: AnswerPatch = {
      feeling: parsed.feeling,
      craving: parsed.craving,
      mood: parsed.mood,
      meetingToday: parsed.meetingToday,
      note: parsed.note,
    };
    return answerReplies(await ctx.services.checkins.answers.answerCurrent(member.id, patch, "text"), false, parsed.problems);
  },
};
