import { z } from "zod";
import { reply } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import type { HouseSettings } from "../src/domain/houseSettings.ts";
import { CHANGEABLE_SETTINGS, type SettingName } from "../src/services/houseSettingsChange.ts";
import { command } from "./define.ts";

const NAMES = Object.keys(CHANGEABLE_SETTINGS) as [SettingName, ...SettingName[]];

/** The settings as counsellors need to read them: check-in times, risk thresholds, the escalation ladder. */
export function describeSettings(settings: HouseSettings): Array<{ label: string; value: string }> {
  const e = settings.escalation;
  const ladder = e.levels
    .map((level, i) => `${i}: ${level.target} (${level.timeoutMinutes} min; ${level.severities.join("/")})`)
    .join("; ");
  return [
    {
      label: "Check-in",
      value: `${settings.checkinTime}, reminder after ${settings.reminderAfterMinutes} min, closes after ${settings.windowMinutes} min`,
    },
    {
      label: "Risk",
      value: `craving alert at ${settings.cravingThreshold}+, counsellor alert after ${settings.missedBeforeAlert} missed in a row`,
    },
    {
      label: "Escalation",
      value: `${ladder}; critical ${e.criticalTimeoutMinutes} min; ${e.loops} loops; re-trigger after ${e.retriggerAfterMinutes} min`,
    },
    {
      label: "Privacy",
      value: `regulated mode ${settings.regulatedMode ? "on" : "off"}; notes in alert DMs ${settings.notesInAlertDms ? "on" : "off"}`,
    },
  ];
}

export const settingsCommand = command({
  name: "settings",
  description: "Show the house settings, or change one (house admins)",
  access: ["admin"],
  options: z.object({
    name: opt.choice("The setting to change", NAMES).optional(),
    value: opt.text("Its new value", 40).optional(),
  }),
  examples: ["/settings cravingThreshold 7", "/settings escalation.criticalTimeoutMinutes 5"],
  async run(ctx, input) {
    if (!ctx.house || !ctx.member) return [];
    if (input.name && input.value !== undefined) {
      const result = await ctx.services.houseSettings.change(ctx.house.id, ctx.member.id, input.name as SettingName, input.value);
      if (result.outcome === "invalid") return [reply(message(`Not changed: ${result.reason}.`, { ephemeral: true }))];
      return [
        reply(
          message(`Saved. Alerts already open keep the policy they started with.`, {
            fields: describeSettings(result.settings),
            ephemeral: true,
          }),
        ),
      ];
    }
    if (input.name) return [reply(message(`Give a value too, like /settings ${input.name} <value>.`, { ephemeral: true }))];
    const settings = await ctx.services.houses.settings(ctx.house.id);
    return [
      reply(
        message(`Change one with /settings <name> <value>. Names: ${NAMES.join(", ")}.`, {
          title: "House settings",
          fields: describeSettings(settings),
          ephemeral: true,
        }),
      ),
    ];
  },
});
