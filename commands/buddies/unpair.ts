import { z } from "zod";
import { opt } from "../../src/core/options.ts";
import { command } from "../define.ts";
import { proposalSummary, say, targetRefusal } from "./say.ts";

export const unpairCommand = command({
  name: "unpair",
  description: "End a newcomer's pairing early; a new buddy is proposed if they still need one (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({
    newcomer: opt.user("The newcomer"),
    reason: opt.text("Why (kept encrypted; neither of them is told it)", 300, true),
  }),
  examples: ["/unpair @ava not a good fit"],
  async run(ctx, input) {
    if (!ctx.house || !ctx.member) return [];
    const result = await ctx.services.buddies.unpair(ctx.member.id, ctx.house.id, input.newcomer, input.reason);
    if (result.outcome === "refused") {
      return say(
        result.reason === "not_paired"
          ? `${result.newcomerName} doesn't have a buddy right now. To end a pairing, name the newcomer rather than the buddy.`
          : targetRefusal(result.reason),
      );
    }
    const next = proposalSummary(result.proposal);
    return say(
      `${result.newcomerName} and ${result.buddyName} are no longer paired. Both have been told kindly, without your reason.${next ? `\n${next}` : ""}`,
    );
  },
});
