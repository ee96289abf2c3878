import { DateTime } from "luxon";
import { update } from "../../src/core/command.ts";
import { message } from "../../src/core/message.ts";
import type { BotAction } from "../define.ts";
import { reasonsText, say } from "./say.ts";

/** The Confirm buttons on a buddy proposal: bp:ok:<pairingId>. */
export const proposalAction: BotAction = {
  prefix: "bp",
  access: ["counsellor", "admin"],
  async run(ctx, parts) {
    const [, verb, pairingId] = parts;
    if (!ctx.member || !ctx.house || verb !== "ok" || !pairingId) return [];
    const result = await ctx.services.buddies.confirm(ctx.member.id, pairingId);
    if (result.outcome === "refused") {
      switch (result.reason) {
        case "not_found":
          return say("That proposal doesn't exist any more.");
        case "out_of_date":
          return say("That proposal is out of date. Check the newest one in your DMs, or use /pair.");
        case "already_confirmed":
          return say(`Already done: ${result.buddyName} is ${result.newcomerName}'s buddy.`);
        case "newcomer_paired":
          return say(`${result.newcomerName} already has a buddy, ${result.buddyName}. Nothing was changed.`);
        case "buddy_unavailable":
          return say(
            `${result.buddyName} can't buddy right now: ${result.buddyName} ${reasonsText(result.reasons)}. Choose another, or use /pair.`,
          );
      }
    }
    const until = DateTime.fromJSDate(result.plannedEndAt, { zone: ctx.house.timezone }).toFormat("ccc d LLL");
    return [
      update(
        message(
          `${result.buddyName} is ${result.newcomerName}'s buddy until ${until}, confirmed by ${ctx.member.displayName}. I've introduced them.`,
          {
            title: `A buddy for ${result.newcomerName}`,
          },
        ),
      ),
    ];
  },
};
