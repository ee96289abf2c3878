import type { CommandDefinition } from "../../core/command.ts";
import { usageLine } from "../../core/commandText.ts";
import { describeOptions } from "../../core/options.ts";

/**
 * The Slack app manifest, generated from the command registry so Slack's command list can never
 * drift from the bot's. Paste it into api.slack.com/apps → "Create New App" → "From a manifest".
 */

/**
 * The least the bot needs, each for one reason:
 * - `commands`: the slash commands below
 * - `chat:write`: replies, check-in DMs, alerts, and editing them (Acknowledge / Resolve)
 * - `im:write`: conversations.open, to start a DM with a resident or counsellor
 * - `im:history`: the `message.im` event, so residents can answer by typing in the DM
 * - `users:read`: users.info, for workspace admins (first /setup), names and time zones
 * - `files:write`: charts and exports sent as files
 * Not asked: channels:read/groups:read (channels are given by id in /setup), im:read (conversations.open
 * needs only im:write), chat:write.public (the bot is invited to the channels it posts in).
 */
export const BOT_SCOPES = ["commands", "chat:write", "im:write", "im:history", "users:read", "files:write"] as const;

export const BOT_EVENTS = ["app_home_opened", "message.im"] as const;

export const MANIFEST_LIMITS = { name: 35, description: 140, commandName: 32, commandDescription: 2000, usageHint: 1000 } as const;

/** The path Bolt's HTTP receiver listens on for commands, events and interactivity alike. */
export const EVENTS_PATH = "/slack/events";
export const OAUTH_REDIRECT_PATH = "/slack/oauth_redirect";

export interface ManifestOptions {
  /** The app's name in Slack (35 characters at most). */
  name?: string;
  /** HTTP mode: the public https base URL Slack posts to; Socket Mode when absent. */
  httpUrl?: string;
}

export interface SlackSlashCommand {
  command: string;
  description: string;
  usage_hint?: string;
  should_escape: boolean;
  url?: string;
}

export interface SlackManifest {
  display_information: { name: string; description: string; background_color: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: SlackSlashCommand[];
  };
  oauth_config: { scopes: { bot: string[] }; redirect_urls?: string[] };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

type ListedCommand = Pick<CommandDefinition<unknown>, "name" | "description" | "options">;

export class ManifestError extends Error {}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The option part of the usage line: Slack shows it greyed after the command as people type. */
export function usageHint(command: ListedCommand): string | undefined {
  const line = usageLine(command.name, describeOptions(command.options));
  const hint = line.slice(command.name.length + 1).trim();
  return hint ? clip(hint, MANIFEST_LIMITS.usageHint) : undefined;
}

function slashCommand(command: ListedCommand, url: string | undefined): SlackSlashCommand {
  const name = `/${command.name}`;
  if (!/^\/[a-z0-9_-]+$/.test(name) || name.length > MANIFEST_LIMITS.commandName) {
    throw new ManifestError(`${name} cannot be a Slack command: lower-case letters, digits, - and _, at most 32 characters`);
  }
  const hint = usageHint(command);
  return {
    command: name,
    description: clip(command.description, MANIFEST_LIMITS.commandDescription),
    ...(hint ? { usage_hint: hint } : {}),
    // Slack then sends mentions as <@U123|name> and channels as <#C123|name>: ids, not names that can change.
    should_escape: true,
    ...(url ? { url } : {}),
  };
}

export function buildManifest(commands: readonly ListedCommand[], options: ManifestOptions = {}): SlackManifest {
  const name = options.name?.trim() || "House check-in";
  if (name.length > MANIFEST_LIMITS.name) throw new ManifestError(`the app name must be at most ${MANIFEST_LIMITS.name} characters`);
  const base = options.httpUrl?.replace(/\/+$/, "");
  if (base !== undefined && !/^https:\/\/[^\s/]+/.test(base)) throw new ManifestError("the --http URL must start with https://");
  const requestUrl = base ? `${base}${EVENTS_PATH}` : undefined;
  return {
    display_information: {
      name,
      description: clip(
        "Daily check-ins, meeting reminders and buddies for a recovery house. Peer support, not an emergency service.",
        MANIFEST_LIMITS.description,
      ),
      background_color: "#2f5d62",
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: "house-checkin", always_online: true },
      slash_commands: commands.map((command) => slashCommand(command, requestUrl)),
    },
    oauth_config: {
      scopes: { bot: [...BOT_SCOPES] },
      ...(base ? { redirect_urls: [`${base}${OAUTH_REDIRECT_PATH}`] } : {}),
    },
    settings: {
      event_subscriptions: { bot_events: [...BOT_EVENTS], ...(requestUrl ? { request_url: requestUrl } : {}) },
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: base === undefined,
      token_rotation_enabled: false,
    },
  };
}
