import { z } from "zod";
import { opt } from "../../src/core/options.ts";
import { command } from "../define.ts";
import { say, targetRefusal } from "./say.ts";

export const dischargeCommand = command({
  name: "discharge",
  description: "A resident leaves: ends their check-ins, reminders and pairings, keeps their history (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({
    user: opt.user("The resident who is leaving"),
    reason: opt.text("Why, in a few words (kept encrypted, never shown to residents)", 300, true),
  }),
  examples: ["/discharge @ava completed the programme"],
  async run(ctx, input) {
    if (!ctx.house || !ctx.member) return [];
    const result = await ctx.services.buddies.discharge(ctx.member.id, ctx.house.id, input.user, input.reason);
    if (result.outcome === "refused") {
      return say(result.reason === "already_discharged" ? "They have already been discharged." : targetRefusal(result.reason));
    }
    const lines = [
      `${result.name} is discharged. Their check-ins and reminders have stopped, and their history is kept.`,
      result.endedPairings > 0
        ? `${result.endedPairings === 1 ? "Their pairing has" : "Their pairings have"} ended, and the other person has been told.`
        : null,
      result.reproposedFor.length > 0 ? `I've proposed a new buddy for ${result.reproposedFor.join(", ")}.` : null,
    ];
    return say(lines.filter((line): line is string => line !== null).join("\n"));
  },
});
