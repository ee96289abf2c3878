import { z } from "zod";
import { reply } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import { command } from "./define.ts";

export const residentCommand = command({
  name: "resident",
  description: "A resident's summary: days sober, last 28 days as a chart, alerts, buddy (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({ user: opt.user("The resident") }),
  examples: ["/resident @sam"],
  async run(ctx, input) {
    if (!ctx.house || !ctx.member) return [];
    const result = await ctx.services.reports.residentSummary(ctx.house.id, ctx.member.id, input.user);
    if (result.outcome === "shown") return [reply(result.message)];
    const text =
      result.outcome === "not_found"
        ? "I don't know that resident. Check the name, or ask them to say hello to the bot first."
        : "Resident summaries are for the house's counsellors.";
    return [reply(message(text, { ephemeral: true }))];
  },
});
