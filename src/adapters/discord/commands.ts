import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { registry } from "../../../commands/index.ts";
import type { CommandDefinition } from "../../core/command.ts";
import { truncate } from "../../core/message.ts";
import { describeOptions, type OptionInfo } from "../../core/options.ts";

/**
 * Discord's slash-command JSON, derived from the same zod schemas that parse Slack and console
 * text, so the three platforms can never disagree about a command's options.
 */

const DESCRIPTION_LENGTH = 100;
const MAX_CHOICES = 25;
const MAX_STRING_LENGTH = 6000;

/** What Discord's pickers cannot check for us, said in the description instead. */
const FORMAT_HINTS: Partial<Record<OptionInfo["kind"], string>> = {
  date: "YYYY-MM-DD",
  time: "HH:MM, 24-hour",
  timezone: "Area/City",
};

function describe(option: OptionInfo): string {
  const hint = FORMAT_HINTS[option.kind];
  if (!hint) return truncate(option.description, DESCRIPTION_LENGTH);
  const suffix = ` (${hint})`;
  return `${truncate(option.description, DESCRIPTION_LENGTH - suffix.length)}${suffix}`;
}

export function optionJson(option: OptionInfo): APIApplicationCommandBasicOption {
  const base = { name: option.name, description: describe(option), required: option.required };
  switch (option.kind) {
    case "integer":
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(option.min !== undefined ? { min_value: option.min } : {}),
        ...(option.max !== undefined ? { max_value: option.max } : {}),
      };
    case "boolean":
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case "user":
      return { ...base, type: ApplicationCommandOptionType.User };
    case "choice": {
      const choices = option.choices ?? [];
      // Past Discord's 25 a picker would hide some answers; free text still meets the zod check.
      if (choices.length > MAX_CHOICES) return { ...base, type: ApplicationCommandOptionType.String };
      return { ...base, type: ApplicationCommandOptionType.String, choices: choices.map((value) => ({ name: value, value })) };
    }
    case "text":
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(option.maxLength !== undefined ? { max_length: Math.min(option.maxLength, MAX_STRING_LENGTH) } : {}),
      };
    case "date":
    case "time":
    case "timezone":
      return { ...base, type: ApplicationCommandOptionType.String };
  }
}

/**
 * One command's JSON. Discord insists required options come before optional ones; the sort is
 * stable, so each group keeps its declared order. `default_member_permissions` stays unset:
 * who may run what is decided from our database, and server admins keep Discord's own override.
 */
export function commandJson<S>(command: CommandDefinition<S>): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const options = describeOptions(command.options)
    .map((option, index) => ({ option, index }))
    .sort((a, b) => Number(b.option.required) - Number(a.option.required) || a.index - b.index)
    .map(({ option }) => optionJson(option));
  return {
    name: command.name,
    type: ApplicationCommandType.ChatInput,
    description: truncate(command.description, DESCRIPTION_LENGTH),
    options,
    // Residents answer check-ins and ask for help in DMs with the bot, so commands work there too.
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    dm_permission: true,
  };
}

export function applicationCommands<S>(registry: { commands: CommandDefinition<S>[] }): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return registry.commands.map(commandJson);
}

/** Every command of this bot, as Discord registers them. */
export function discordCommands(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return applicationCommands(registry);
}
