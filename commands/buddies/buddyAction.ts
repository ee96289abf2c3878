import { reply } from "../../src/core/command.ts";
import { PING_ANSWERS, type PingAnswer, pingAnsweredNote, shareLapseSavedText } from "../../src/services/buddies/messages.ts";
import type { BotAction } from "../define.ts";
import { pingReply } from "./buddy.ts";
import { say } from "./say.ts";

/**
 * Buttons residents press: bud:share:on|off (lapse sharing), bud:ping:<pairingId> (get in touch),
 * bud:re:<pingId>:way|call|later (answer a ping).
 */
export const buddyAction: BotAction = {
  prefix: "bud",
  access: ["resident"],
  async run(ctx, parts) {
    const member = ctx.member;
    const [, verb, id, value] = parts;
    if (!member || !id) return [];
    const buddies = ctx.services.buddies;
    switch (verb) {
      case "share": {
        if (id !== "on" && id !== "off") return [];
        const { buddyName } = await buddies.setShareLapse(member.id, id === "on");
        return say(shareLapseSavedText(id === "on", buddyName));
      }
      case "ping":
        return pingReply(await buddies.ping(member.id, { text: null, pairingId: id }));
      case "re": {
        if (!PING_ANSWERS.includes(value as PingAnswer)) return [];
        const answer = value as PingAnswer;
        const result = await buddies.answerPing(member.id, id, answer);
        if (result.outcome === "not_found") return say("That button isn't for you.");
        if (result.outcome === "ended") return say("That pairing has ended, so I didn't send anything.");
        return [reply({ ...pingAnsweredNote(answer, result.toName), ephemeral: true })];
      }
      default:
        return [];
    }
  },
};
