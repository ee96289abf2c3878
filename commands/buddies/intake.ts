import { z } from "zod";
import { opt } from "../../src/core/options.ts";
import { type Preferences, parsePreferences } from "../../src/domain/buddies/index.ts";
import { command } from "../define.ts";
import { proposalSummary, say, targetRefusal } from "./say.ts";

export const intakeCommand = command({
  name: "intake",
  description: "Take in a resident or update their record; sends the welcome and proposes a buddy (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({
    user: opt.user("The resident"),
    "sobriety-date": opt.date("Start of their current sobriety, like 2027-01-02").optional(),
    "programme-start": opt.date("Their first day in the programme (default today)").optional(),
    "checkin-time": opt.time("Their daily check-in time, 24-hour, like 20:30").optional(),
    preferences: opt.text("Buddy preferences, like gender=f,language=en (or none)", 200, true).optional(),
  }),
  examples: ["/intake @ava 2026-12-20", "/intake @ava 2026-12-20 2027-01-04 21:00 language=en", "/intake user:@ava preferences:gender=f"],
  async run(ctx, input) {
    if (!ctx.house || !ctx.member) return [];
    let preferences: Preferences | undefined;
    if (input.preferences !== undefined) {
      const parsed = parsePreferences(input.preferences);
      if (!parsed.ok) return say(`Those preferences didn't work: ${parsed.problem}. Nothing was changed.`);
      preferences = parsed.preferences;
    }
    const result = await ctx.services.buddies.intake(ctx.member.id, ctx.house.id, {
      platformUserId: input.user,
      sobrietyDate: input["sobriety-date"],
      programmeStart: input["programme-start"],
      checkinTime: input["checkin-time"],
      preferences,
    });
    if (result.outcome === "refused") {
      switch (result.reason) {
        case "bot":
        case "staff":
          return say(targetRefusal(result.reason));
        case "future_date":
          return say(`The ${result.field} is in the future. Please check it; nothing was changed.`);
        case "implausible_date":
          return say(`The ${result.field} looks wrong. Please check it; nothing was changed.`);
      }
    }
    const opening = result.created
      ? `${result.name} is taken in.`
      : result.readmitted
        ? `${result.name} is back: their record is open again and their history is kept.`
        : `${result.name}'s record is updated.`;
    const lines = [
      opening,
      result.welcomed
        ? "I've sent them the welcome, which explains what is stored and who sees it. Nothing is scheduled until they agree."
        : null,
      result.buddyName ? `Their buddy is ${result.buddyName}.` : null,
      proposalSummary(result.proposal),
    ];
    return say(lines.filter((line): line is string => line !== null).join("\n"));
  },
});
