import { OAuth2Scopes, PermissionFlagsBits, type REST, Routes } from "discord.js";
import { discordCommands } from "./commands.ts";

/**
 * The least the bot needs in a server: see and post in channels (house and staff), attach
 * charts and calendars, show embeds and link previews, and read back the history it replies to.
 * Nothing that moderates, manages or reads people's messages.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory;

/** The link a server's owner opens to add the bot, with its slash commands and the permissions above. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(" "),
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

/**
 * Replaces the application's commands with the registry's. Server-scoped commands appear at
 * once, which suits trying things out; global ones reach every server the bot is in.
 */
export async function registerCommands(rest: REST, applicationId: string, guildId?: string): Promise<number> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body: discordCommands() })) as unknown[];
  return registered.length;
}
