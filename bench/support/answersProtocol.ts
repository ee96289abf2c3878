import type { DoubleGuild } from "../../test/support/discordDouble/server.ts";
import type { SlackUserSpec } from "../../test/support/slackDouble/slackDouble.ts";

/**
 * What the answers scenario's main thread (the bot) and its platform thread (a double and the
 * residents pressing buttons) say to each other. The platform runs on its own thread so that its
 * clock, its timers and its HTTP server keep time while the bot is busy: injections happen when
 * planned, and an acknowledgement is stamped when it reaches the platform, not when the bot's
 * event loop gets round to noticing.
 */

export type PlatformName = "discord" | "slack";

export type PlatformSetup = { platform: "discord"; guilds: DoubleGuild[] } | { platform: "slack"; teamId: string; users: SlackUserSpec[] };

/** One press of a button on a message the bot sent to a resident's DM. */
export interface PlannedPress {
  userId: string;
  /** Slack: the resident's user name, as the payload carries it. */
  userName: string;
  channelId: string;
  /** Discord: the message id; Slack: the message ts. */
  messageId: string;
  customId: string;
}

export interface Started {
  apiUrl: string;
  /** Discord: the bot token the double accepts. */
  token: string;
  /** Discord: each person's DM channel with the bot, by user id. */
  dmChannels: Record<string, string>;
}

export interface Injected {
  /** Acknowledgement latency of each acknowledged press, in injection order, milliseconds. */
  latenciesMs: number[];
  unacknowledged: number;
  /** Epoch milliseconds of the first and last injection. */
  firstAt: number;
  lastAt: number;
  /** The worst delay of an injection behind its planned instant. */
  maxLateMs: number;
}

export interface Replies {
  /** Bot edits of the pressed messages (Discord: PATCH @original; Slack: chat.update). */
  updates: number;
  /** Discord: interactions whose original message was edited more than once. */
  updatedTwice: number;
  /** Discord: interactions acknowledged more than once (the double refuses the second). */
  acknowledgedTwice: number;
}

export type Request =
  | { id: number; kind: "start"; setup: PlatformSetup }
  | { id: number; kind: "inject"; presses: PlannedPress[]; perSecond: number }
  | { id: number; kind: "replies" }
  | { id: number; kind: "close" };

export type { WorkerResponse as Response } from "./platformWorker.ts";
