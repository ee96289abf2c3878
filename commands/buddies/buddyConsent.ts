import { z } from "zod";
import { opt } from "../../src/core/options.ts";
import { shareLapseSavedText } from "../../src/services/buddies/messages.ts";
import { command } from "../define.ts";
import { say } from "./say.ts";

export const buddyConsentCommand = command({
  name: "buddy-consent",
  description: "Whether your buddy may be told, without details, if you have a lapse",
  access: ["resident"],
  options: z.object({ share: opt.choice("on or off", ["on", "off"] as const) }),
  examples: ["/buddy-consent on", "/buddy-consent off"],
  async run(ctx, input) {
    if (!ctx.member) return [];
    const share = input.share === "on";
    const { buddyName } = await ctx.services.buddies.setShareLapse(ctx.member.id, share);
    return say(shareLapseSavedText(share, buddyName));
  },
});
