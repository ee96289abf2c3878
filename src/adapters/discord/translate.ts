import {
  ApplicationCommandOptionType,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Message as DiscordMessage,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { ActionEvent, Actor, CommandEvent, DirectTextEvent, FormSubmitEvent } from "../../core/events.ts";

/** What every translated event shares; the ids are Discord's own, so gateway replays keep them. */
export interface EventOrigin {
  actor: Actor;
  channelId: string;
  isDirect: boolean;
  workspaceName?: string;
}

function base(eventId: string, origin: EventOrigin) {
  return {
    eventId,
    actor: origin.actor,
    conversation: { channelId: origin.channelId, isDirect: origin.isDirect },
    ...(origin.workspaceName ? { workspaceName: origin.workspaceName } : {}),
  };
}

/**
 * Option values by name. Subcommands and groups are flattened into the same record (their own
 * names are not options); a user option gives the user's id, which is what `opt.user` expects.
 */
export function flattenOptions(options: readonly CommandInteractionOption[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of options) {
    if (option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup) {
      Object.assign(values, flattenOptions(option.options ?? []));
    } else if (option.type === ApplicationCommandOptionType.User) {
      values[option.name] = option.user?.id ?? option.value;
    } else if (option.value !== undefined) {
      values[option.name] = option.value;
    }
  }
  return values;
}

export function commandEvent(interaction: ChatInputCommandInteraction, origin: EventOrigin): CommandEvent {
  return {
    kind: "command",
    command: interaction.commandName,
    input: { options: flattenOptions(interaction.options.data) },
    ...base(interaction.id, origin),
  };
}

export function actionEvent(interaction: ButtonInteraction | StringSelectMenuInteraction, origin: EventOrigin): ActionEvent {
  const value = interaction.isStringSelectMenu() ? interaction.values[0] : undefined;
  return {
    kind: "action",
    actionId: interaction.customId,
    ...(value !== undefined ? { value } : {}),
    messageRef: { channelId: interaction.message.channelId, messageId: interaction.message.id },
    ...base(interaction.id, origin),
  };
}

/** Inputs left empty arrive as "" and are left out, as the console leaves out skipped questions. */
export function formSubmitEvent(interaction: ModalSubmitInteraction, origin: EventOrigin): FormSubmitEvent {
  const values: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) {
    if ("value" in field && typeof field.value === "string" && field.value.trim() !== "") values[id] = field.value;
  }
  return { kind: "formSubmit", formId: interaction.customId, values, ...base(interaction.id, origin) };
}

export function directTextEvent(message: DiscordMessage, origin: EventOrigin): DirectTextEvent {
  return { kind: "directText", text: message.content, ...base(message.id, origin) };
}
