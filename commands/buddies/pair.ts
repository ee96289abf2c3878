import { DateTime } from "luxon";
import { z } from "zod";
import { opt } from "../../src/core/options.ts";
import { command } from "../define.ts";
import { reasonsText, say, targetRefusal } from "./say.ts";

export const pairCommand = command({
  name: "pair",
  description: "Make someone a newcomer's buddy (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({
    newcomer: opt.user("The newcomer"),
    buddy: opt.user("Their buddy: a resident with the buddy or senior peer role"),
  }),
  examples: ["/pair @ava @ben"],
  async run(ctx, input) {
    if (!ctx.house || !ctx.member) return [];
    const result = await ctx.services.buddies.pair(ctx.member.id, ctx.house.id, input.newcomer, input.buddy);
    if (result.outcome === "refused") {
      switch (result.reason) {
        case "self":
          return say("A newcomer can't be their own buddy. Nothing was changed.");
        case "already_paired":
          return say(
            `${result.newcomerName} already has a buddy, ${result.buddyName}. If that should change, use /unpair first. Nothing was changed.`,
          );
        case "buddy_blocked":
          return say(
            `${result.buddyName} can't buddy right now: ${result.buddyName} ${reasonsText(result.reasons)}. Nothing was changed.${
              result.reasons.includes("no_role") ? " You could grant the role with /peer-role." : ""
            }`,
          );
        default:
          return say(targetRefusal(result.reason, result.who === "newcomer" ? "The newcomer" : "The buddy"));
      }
    }
    const until = DateTime.fromJSDate(result.plannedEndAt, { zone: ctx.house.timezone }).toFormat("ccc d LLL");
    const notes = result.notes.length ? `\nWorth knowing: ${result.buddyName} ${reasonsText(result.notes)}.` : "";
    return say(`${result.buddyName} is now ${result.newcomerName}'s buddy, until ${until}. I've introduced them to each other.${notes}`);
  },
});
