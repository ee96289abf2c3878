import { z } from "zod";
import { reply, update } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import type { BotAction } from "./define.ts";
import { command } from "./define.ts";

const say = (text: string) => [reply(message(text, { ephemeral: true }))];

export const awayCommand = command({
  name: "away",
  description: "Ask a counsellor to excuse you from check-ins (day pass, work shift, court, hospital)",
  access: ["resident"],
  options: z.object({
    from: opt.date("First day, like 2027-03-01"),
    to: opt.date("Last day, like 2027-03-02"),
    reason: opt.text("Why, in a few words", 200, true),
  }),
  examples: ["/away 2027-03-01 2027-03-02 day pass with family"],
  async run(ctx, input) {
    if (!ctx.member) return [];
    const result = await ctx.services.checkins.absences.request(ctx.member.id, input.from, input.to, input.reason);
    if (result.outcome === "invalid") return say(`I couldn't ask for that: ${result.reason}.`);
    return say(
      `I've asked ${result.counsellors === 1 ? "your counsellor" : "the counsellors"} to excuse you from ${input.from} to ${input.to}. I'll let you know what they say.`,
    );
  },
});

export const excuseCommand = command({
  name: "excuse",
  description: "Excuse a resident from check-ins for some days (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({
    user: opt.user("The resident"),
    from: opt.date("First day"),
    to: opt.date("Last day"),
    reason: opt.text("Why", 200, true),
  }),
  examples: ["/excuse @sam 2027-03-01 2027-03-03 hospital"],
  async run(ctx, input) {
    if (!ctx.member || !ctx.house) return [];
    const resident = await ctx.services.members.byPlatformUser(ctx.house.id, input.user);
    if (!resident || resident.role !== "resident")
      return say("I don't know that resident. Check the name, or ask them to say hello to the bot first.");
    const result = await ctx.services.checkins.absences.excuse(ctx.member.id, resident.id, input.from, input.to, input.reason);
    if ("invalid" in result) return say(`I couldn't excuse that: ${result.invalid}.`);
    return say(`${resident.displayName} is excused from ${input.from} to ${input.to}. Those days won't count as missed.`);
  },
});

export const absenceAction: BotAction = {
  prefix: "abs",
  access: ["counsellor", "admin"],
  async run(ctx, parts) {
    const [, verb, absenceId] = parts;
    if (!ctx.member || !absenceId || (verb !== "approve" && verb !== "decline")) return [];
    const result = await ctx.services.checkins.absences.decide(absenceId, ctx.member.id, verb === "approve");
    if (result.outcome === "not_found") return say("That request doesn't exist any more.");
    if (result.outcome === "already_decided") return say(`That request was already ${result.absence.status}.`);
    return [
      update(
        message(
          `${result.approved ? "Approved" : "Declined"} by ${ctx.member.displayName}: ${result.memberName}, ${result.absence.fromDate} to ${result.absence.toDate}.`,
          {
            title: "Absence request",
          },
        ),
      ),
    ];
  },
};
