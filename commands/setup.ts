import { z } from "zod";
import { reply } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import { SUPPORTED_COUNTRIES } from "../src/services/houses.ts";
import { command } from "./define.ts";
import { describeSettings } from "./settings.ts";

export const setupCommand = command({
  name: "setup",
  description: "Create the house, or change its time zone, country and channels (house admins)",
  access: "anyone",
  needsHouse: false,
  listedFor: ["admin"],
  options: z.object({
    timezone: opt.timezone("The house's time zone, like Europe/London").optional(),
    country: opt
      .choice(
        "Country, for crisis phone numbers",
        SUPPORTED_COUNTRIES.map((c) => c.toLowerCase()) as unknown as readonly [string, ...string[]],
      )
      .optional(),
    "house-channel": opt.text("Channel for milestones and meeting posts", 100).optional(),
    "staff-channel": opt.text("Private channel for counsellors", 100).optional(),
    name: opt.text("The house's name", 80, true).optional(),
  }),
  examples: ["/setup timezone:Europe/London country:gb staff-channel:#staff"],
  async run(ctx, input) {
    const result = await ctx.services.houses.setup(
      ctx.actor,
      {
        name: input.name,
        timezone: input.timezone,
        country: input.country?.toUpperCase() as (typeof SUPPORTED_COUNTRIES)[number] | undefined,
        houseChannelId: input["house-channel"]?.replace(/^<#([^>|]+).*>$/, "$1").replace(/^#/, ""),
        staffChannelId: input["staff-channel"]?.replace(/^<#([^>|]+).*>$/, "$1").replace(/^#/, ""),
      },
      ctx.event.workspaceName,
    );
    switch (result.outcome) {
      case "refused":
        return [
          reply(
            message(
              result.reason === "not_workspace_admin"
                ? "Only the owner or an administrator of this server can create the house. Ask them to run /setup first."
                : "Only the house's admins can change its setup. Ask one of them, or a counsellor, for help.",
              { ephemeral: true },
            ),
          ),
        ];
      case "created":
        return [
          reply(
            message(
              "The house is set up and you are its admin. Next: add counsellors with /staff add @name counsellor, and type /help to see everything.",
              {
                title: `Welcome to ${result.house.name}`,
                fields: [
                  { label: "Time zone", value: result.house.timezone },
                  { label: "Country (crisis numbers)", value: result.house.country },
                ],
                ephemeral: true,
              },
            ),
          ),
        ];
      case "updated": {
        const settings = await ctx.services.houses.settings(result.house.id);
        return [
          reply(
            message(
              result.changed.length
                ? `Updated: ${result.changed.map((c) => c.replace(/([A-Z])/g, " $1").toLowerCase()).join(", ")}.`
                : "Nothing changed. Here is the current setup.",
              {
                title: result.house.name,
                fields: [
                  { label: "Time zone", value: result.house.timezone },
                  { label: "Country (crisis numbers)", value: result.house.country },
                  ...describeSettings(settings),
                ],
                ephemeral: true,
              },
            ),
          ),
        ];
      }
    }
  },
});
