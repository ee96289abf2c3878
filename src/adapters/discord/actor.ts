import {
  type Client,
  DiscordAPIError,
  type Guild,
  type GuildMember,
  PermissionFlagsBits,
  type PermissionsBitField,
  type User,
} from "discord.js";
import type { Actor } from "../../core/events.ts";
import { DiscordCode } from "./errors.ts";

/** The server a person acts in, and their membership there when known. */
export interface Workspace {
  guild: Guild;
  member: GuildMember | null;
}

/** Raw member data an interaction carries when discord.js has not cached the server. */
interface RawMember {
  nick?: string | null;
}

const ADMIN_PERMISSIONS = [PermissionFlagsBits.Administrator, PermissionFlagsBits.ManageGuild];

/** How many servers a DM's sender is looked up in over REST before giving up. */
const MAX_GUILD_LOOKUPS = 10;

export function displayNameOf(user: User, member: GuildMember | RawMember | null): string {
  if (member && "displayName" in member) return member.displayName;
  return member?.nick || user.globalName || user.username;
}

/**
 * Owning the server, or holding Administrator or Manage Server, lets someone create the house
 * with the first /setup; every later decision uses the roles in our own database.
 */
export function isServerAdmin(userId: string, guild: Guild | null, permissions: Readonly<PermissionsBitField> | null): boolean {
  if (guild?.ownerId === userId) return true;
  return permissions?.any(ADMIN_PERMISSIONS) ?? false;
}

export function actorFor(
  user: User,
  workspace: { guildId: string; guild: Guild | null },
  member: GuildMember | RawMember | null,
  permissions: Readonly<PermissionsBitField> | null,
): Actor {
  return {
    platform: "discord",
    workspaceId: workspace.guildId,
    userId: user.id,
    displayName: displayNameOf(user, member),
    isWorkspaceAdmin: isServerAdmin(user.id, workspace.guild, permissions),
    ...(user.bot ? { isBot: true } : {}),
  };
}

export function actorInWorkspace(user: User, workspace: Workspace): Actor {
  return actorFor(user, { guildId: workspace.guild.id, guild: workspace.guild }, workspace.member, workspace.member?.permissions ?? null);
}

/** Oldest server first: snowflakes grow with time, and longer ids are later ones. */
function byAge(a: Guild, b: Guild): number {
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A DM carries no server, but a house is a server, so a DM is attributed to the server the
 * person shares with the bot. The bot's cache is asked first (people who have used the bot in a
 * server are cached there); otherwise each server is asked over REST, which needs no privileged
 * intent. Someone in several houses served by one bot is attributed to the oldest of them in
 * DMs, and can always act in another house with commands in that house's server.
 */
export function cachedDmWorkspace(client: Client, userId: string): Workspace | null {
  const guilds = [...client.guilds.cache.values()].sort(byAge);
  const shared = guilds.find((guild) => guild.members.cache.has(userId));
  if (shared) return { guild: shared, member: shared.members.cache.get(userId) ?? null };
  return null;
}

export async function findDmWorkspace(client: Client, userId: string): Promise<Workspace | null> {
  const cached = cachedDmWorkspace(client, userId);
  if (cached) return cached;
  const guilds = [...client.guilds.cache.values()].sort(byAge).slice(0, MAX_GUILD_LOOKUPS);
  for (const guild of guilds) {
    try {
      const member = await guild.members.fetch({ user: userId, cache: true });
      return { guild, member };
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === DiscordCode.unknownMember) continue;
      throw error;
    }
  }
  return null;
}
