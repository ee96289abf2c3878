import type { Actor, InboundEvent, MessageRef, Platform } from "./events.ts";
import type { Form, Message } from "./message.ts";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Structured logger (pino's shape). Never pass resident text: log ids and counts. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}

/** How the answer to an inbound event goes back to the person who acted. */
export interface Responder {
  /** A new message in the conversation (ephemeral where the message asks and the platform can). */
  reply(message: Message): Promise<void>;
  /** Replaces the message that held the pressed button. Falls back to reply where impossible. */
  update(message: Message): Promise<void>;
  /** Opens a form (modal); the console prompts field by field. */
  openForm(form: Form): Promise<void>;
}

export type InboundHandler = (event: InboundEvent, responder: Responder) => Promise<void>;

/** What an adapter is given at start: the event handler, and a way to open a form before acknowledging. */
export interface InboundHandlers {
  handle: InboundHandler;
  /**
   * A form to open for this event, decided without the database. Platforms only allow a modal
   * as the very first response to a click, so adapters ask this before deferring.
   */
  formFor(event: InboundEvent): Form | null;
  /** A person's own overview (Slack's App Home tab); null when the bot does not know them yet. */
  home?(actor: Actor): Promise<Message | null>;
  /**
   * The workspaces whose houses count this person as a member, oldest house first. A Discord DM
   * names no server; asking our own database is one query, where asking Discord costs a request
   * per server against the bot's rate limit.
   */
  houseWorkspacesOf?(platform: Platform, userId: string): Promise<string[]>;
}

export interface DirectTarget {
  workspaceId: string;
  userId: string;
  /** Cached DM channel id, when known: saves a request per message. */
  dmChannelId?: string | null;
}

export interface ChannelTarget {
  workspaceId: string;
  channelId: string;
}

export interface SentMessage extends MessageRef {}

export interface AdapterCapabilities {
  images: boolean;
  forms: boolean;
  ephemeral: boolean;
  maxTextLength: number;
}

/**
 * Why a send failed. `permanent` failures are never retried (the person closed their DMs, left
 * the server); `unreachable` additionally means the member cannot be reached by DM at all.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly options: { permanent: boolean; unreachable?: boolean; retryAfterMs?: number; code?: string } = {
      permanent: false,
    },
  ) {
    super(message);
  }
}

export interface ChatAdapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities;
  start(handlers: InboundHandlers): Promise<void>;
  stop(): Promise<void>;
  sendDirect(target: DirectTarget, message: Message): Promise<SentMessage>;
  postToChannel(target: ChannelTarget, message: Message): Promise<SentMessage>;
  updateMessage(workspaceId: string, ref: MessageRef, message: Message): Promise<void>;
}

export type { Actor };
