import { DateTime } from "luxon";
import { z } from "zod";
import { reply } from "../../src/core/command.ts";
import { LIMITS, message, truncate } from "../../src/core/message.ts";
import { opt } from "../../src/core/options.ts";
import { pingLimitedText } from "../../src/services/buddies/messages.ts";
import type { PingResult } from "../../src/services/buddies/pings.ts";
import { command } from "../define.ts";
import { say } from "./say.ts";

export const PING_TEXT_MAX = 500;

/** The reply to a ping, from /buddy or its button. */
export function pingReply(result: PingResult): ReturnType<typeof say> {
  switch (result.outcome) {
    case "sent":
      return say(`Sent to ${result.otherName}. They'll see it in their DMs, with buttons to answer you.`);
    case "no_buddy":
      return say("You don't have a buddy right now. If you'd like one, ask a counsellor.");
    case "not_yours":
      return say("That button isn't for you, or that pairing has ended. Type /buddy to see your buddy.");
    case "choose":
      return say(`You buddy ${result.names.join(" and ")}. Say who the message is for, like /buddy to:@name your message.`);
    case "limited":
      return say(pingLimitedText(result.otherName, result.retryAt, result.zone));
  }
}

export const buddyCommand = command({
  name: "buddy",
  description: "See who your buddy (or newcomer) is, and send them a message by DM",
  access: ["resident"],
  options: z.object({
    message: opt.text(`Your message (up to ${PING_TEXT_MAX} characters)`, PING_TEXT_MAX, true).optional(),
    to: opt.user("Which newcomer, if you buddy more than one").optional(),
  }),
  examples: ["/buddy", "/buddy could we talk tonight?", "/buddy to:@ava I'm around after dinner"],
  async run(ctx, input) {
    if (!ctx.member || !ctx.house) return [];
    const buddies = ctx.services.buddies;
    if (input.message !== undefined || input.to !== undefined) {
      return pingReply(await buddies.ping(ctx.member.id, { text: input.message ?? null, to: input.to }));
    }
    const mine = await buddies.buddiesOf(ctx.member.id);
    if (mine.length === 0) return say("You don't have a buddy right now. If you'd like one, ask a counsellor.");
    const zone = ctx.house.timezone;
    const lines = mine.map((p) => {
      const until = p.plannedEndAt ? `, until ${DateTime.fromJSDate(p.plannedEndAt, { zone }).toFormat("ccc d LLL")}` : "";
      return p.otherIsNewcomer ? `You're buddy to ${p.otherName}${until}.` : `Your buddy is ${p.otherName}${until}.`;
    });
    return [
      reply(
        message(`${lines.join("\n")}\nTo send a message, type /buddy and your words; it goes by DM, at any hour.`, {
          title: "Your buddy",
          buttons: [
            mine.slice(0, LIMITS.buttonsPerRow).map((p) => ({
              actionId: `bud:ping:${p.pairingId}`,
              label: truncate(`Ask ${p.otherName} to get in touch`, LIMITS.buttonLabelLength),
            })),
          ],
          ephemeral: true,
        }),
      ),
    ];
  },
});
