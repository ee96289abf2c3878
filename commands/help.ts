import { z } from "zod";
import { mayRun, reply } from "../src/core/command.ts";
import { usageLine } from "../src/core/commandText.ts";
import { message } from "../src/core/message.ts";
import { describeOptions } from "../src/core/options.ts";
import type { BotCommand } from "./define.ts";
import { command } from "./define.ts";

/** Built lazily because /help lists the registry it is part of. */
export function helpCommand(all: () => BotCommand[]) {
  return command({
    name: "help",
    description: "What you can do here",
    access: "anyone",
    needsHouse: false,
    options: z.object({}),
    async run(ctx) {
      if (!ctx.house) {
        return [
          reply(
            message(
              "This server doesn't have a house set up yet. If you run it, type /setup to create the house; you'll become its admin and can then add counsellors with /staff.",
              { ephemeral: true },
            ),
          ),
        ];
      }
      const usable = all().filter(
        (c) =>
          c.name !== "help" &&
          mayRun(c.access, ctx.member) &&
          (!c.listedFor || (ctx.member !== null && c.listedFor.includes(ctx.member.role))),
      );
      const lines = usable.map((c) => `${usageLine(c.name, describeOptions(c.options))}\n    ${c.description}`);
      return [
        reply(
          message(lines.length ? lines.join("\n") : "Nothing to run yet: ask a counsellor to set you up.", {
            title: `What you can do in ${ctx.house.name}`,
            ephemeral: true,
          }),
        ),
      ];
    },
  });
}
