import { randomBytes } from "node:crypto";
import { type DiscordDouble, type DoubleGuild, snowflake } from "./server.ts";

/**
 * Gateway payloads as Discord sends them, built from the double's servers and people. discord.js
 * silently drops payloads missing fields it reads (entitlements, authorizing_integration_owners,
 * a button's component_type or message), so these are complete.
 */

export interface Where {
  /** A server channel; leave out for the person's DM with the bot. */
  guildId?: string;
  channelId?: string;
}

export type OptionValue =
  | { name: string; type: "string"; value: string }
  | { name: string; type: "integer"; value: number }
  | { name: string; type: "boolean"; value: boolean }
  | { name: string; type: "user"; value: string };

const OPTION_TYPES = { string: 3, integer: 4, boolean: 5, user: 6 } as const;

function context(double: DiscordDouble, userId: string, where: Where) {
  const user = double.person(userId);
  if (where.guildId) {
    const guild: DoubleGuild = double.guild(where.guildId);
    const channel = guild.channels?.find((c) => c.id === where.channelId) ?? guild.channels?.[0] ?? { id: snowflake(), name: "general" };
    return {
      guild_id: guild.id,
      channel: double.channelJson(guild, channel),
      channel_id: channel.id,
      member: { ...double.memberJson(guild, user), permissions: double.permissionsOf(guild, userId) },
      guild_locale: "en-US",
      authorizing_integration_owners: { "0": guild.id },
      context: 0,
    };
  }
  const channelId = double.dmChannel(userId);
  return {
    channel: { id: channelId, type: 1, recipients: [double.userJson(user)], last_message_id: null, flags: 0 },
    channel_id: channelId,
    user: double.userJson(user),
    authorizing_integration_owners: { "0": double.guilds[0]?.id ?? "0" },
    context: 1,
  };
}

function envelope(double: DiscordDouble, type: number, userId: string, where: Where) {
  return {
    id: snowflake(),
    application_id: double.applicationId,
    type,
    token: `token-${randomBytes(8).toString("hex")}`,
    version: 1,
    app_permissions: "2248473465835073",
    locale: "en-GB",
    entitlements: [],
    attachment_size_limit: 10_485_760,
    ...context(double, userId, where),
  };
}

export function slashCommand(double: DiscordDouble, userId: string, name: string, options: OptionValue[] = [], where: Where = {}) {
  const users = options.filter((o) => o.type === "user").map((o) => double.person(String(o.value)));
  return {
    ...envelope(double, 2, userId, where),
    data: {
      id: snowflake(),
      name,
      type: 1,
      options: options.map((o) => ({ name: o.name, type: OPTION_TYPES[o.type], value: o.value })),
      ...(where.guildId ? { guild_id: where.guildId } : {}),
      ...(users.length ? { resolved: { users: Object.fromEntries(users.map((u) => [u.id, double.userJson(u)])) } } : {}),
    },
  };
}

/** A press on a button the bot really sent: fails if the message holds no such button. */
export function buttonPress(double: DiscordDouble, userId: string, messageId: string, customId: string, where: Where = {}) {
  const message = double.messageForInteraction(messageId);
  const ids = message.components.flatMap((row) =>
    (row as { components: Array<{ custom_id?: string }> }).components.map((c) => c.custom_id),
  );
  if (!ids.includes(customId)) throw new Error(`message ${messageId} has no button ${customId} (has ${ids.join(", ")})`);
  return { ...envelope(double, 3, userId, where), message, data: { custom_id: customId, component_type: 2 } };
}

export function selectChoice(double: DiscordDouble, userId: string, messageId: string, customId: string, value: string, where: Where = {}) {
  const message = double.messageForInteraction(messageId);
  return { ...envelope(double, 3, userId, where), message, data: { custom_id: customId, component_type: 3, values: [value] } };
}

/** A submitted modal, its inputs inside Label components as current clients send them. */
export function modalSubmit(
  double: DiscordDouble,
  userId: string,
  customId: string,
  values: Record<string, string>,
  where: Where & { fromMessageId?: string } = {},
) {
  return {
    ...envelope(double, 5, userId, where),
    ...(where.fromMessageId ? { message: double.messageForInteraction(where.fromMessageId) } : {}),
    data: {
      custom_id: customId,
      components: Object.entries(values).map(([id, value], index) => ({
        type: 18,
        id: index + 1,
        component: { type: 4, id: index + 100, custom_id: id, value },
      })),
    },
  };
}

export function directMessage(double: DiscordDouble, userId: string, content: string, id: string = snowflake()) {
  const user = double.person(userId);
  return {
    id,
    channel_id: double.dmChannel(userId),
    // Without channel_type discord.js cannot tell an uncached channel is a DM, and drops the message.
    channel_type: 1,
    author: double.userJson(user),
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
    components: [],
  };
}
