import type { Actor, InboundEvent, MessageRef, Platform } from "../../src/core/events.ts";
import type { Form, Message } from "../../src/core/message.ts";
import type {
  AdapterCapabilities,
  ChannelTarget,
  ChatAdapter,
  DeliveryError,
  DirectTarget,
  InboundHandler,
  InboundHandlers,
  SentMessage,
} from "../../src/core/ports.ts";

export interface Delivered {
  kind: "direct" | "channel" | "update";
  /** Platform user id (direct) or channel id (channel, update). */
  to: string;
  message: Message;
  ref: MessageRef;
}

export interface Answered {
  replies: Message[];
  updates: Message[];
  forms: Form[];
}

let sequence = 0;

/**
 * A real chat adapter that lives in memory: it records every delivery, can be told to fail,
 * and injects events through the same handler the real adapters call. Tests talk to it the way
 * a person talks to Discord or Slack.
 */
export class FakeChat implements ChatAdapter {
  readonly capabilities: AdapterCapabilities = { images: true, forms: true, ephemeral: true, maxTextLength: 4000 };
  readonly delivered: Delivered[] = [];
  private handler: InboundHandler | null = null;
  private failures: Array<{ match: (to: string) => boolean; error: () => Error; times: number }> = [];
  private messageCounter = 0;

  constructor(
    readonly platform: Platform = "discord",
    readonly workspaceId = "workspace-1",
  ) {}

  async start(handlers: InboundHandlers): Promise<void> {
    this.handler = handlers.handle;
  }

  async stop(): Promise<void> {
    this.handler = null;
  }

  /** Makes the next `times` sends to matching recipients fail with the given error. */
  failSends(match: (to: string) => boolean, error: () => Error | DeliveryError, times = Number.POSITIVE_INFINITY): void {
    this.failures.push({ match, error, times });
  }

  clearFailures(): void {
    this.failures = [];
  }

  private maybeFail(to: string): void {
    const failure = this.failures.find((f) => f.times > 0 && f.match(to));
    if (failure) {
      failure.times -= 1;
      throw failure.error();
    }
  }

  async sendDirect(target: DirectTarget, message: Message): Promise<SentMessage> {
    this.maybeFail(target.userId);
    const ref = { channelId: target.dmChannelId ?? `dm-${target.userId}`, messageId: `m${++this.messageCounter}` };
    this.delivered.push({ kind: "direct", to: target.userId, message, ref });
    return ref;
  }

  async postToChannel(target: ChannelTarget, message: Message): Promise<SentMessage> {
    this.maybeFail(target.channelId);
    const ref = { channelId: target.channelId, messageId: `m${++this.messageCounter}` };
    this.delivered.push({ kind: "channel", to: target.channelId, message, ref });
    return ref;
  }

  async updateMessage(_workspaceId: string, ref: MessageRef, message: Message): Promise<void> {
    this.maybeFail(ref.channelId);
    this.delivered.push({ kind: "update", to: ref.channelId, message, ref });
  }

  /** Deliveries to one person, oldest first. */
  dmsTo(userId: string): Message[] {
    return this.delivered.filter((d) => d.kind === "direct" && d.to === userId).map((d) => d.message);
  }

  actor(userId: string, extra: Partial<Actor> = {}): Actor {
    return { platform: this.platform, workspaceId: this.workspaceId, userId, displayName: userId, isWorkspaceAdmin: false, ...extra };
  }

  /** Sends an event as if the platform delivered it, and returns what the bot answered. */
  async send(event: InboundEvent): Promise<Answered> {
    if (!this.handler) throw new Error("FakeChat was not started");
    const answered: Answered = { replies: [], updates: [], forms: [] };
    await this.handler(event, {
      reply: async (m) => {
        answered.replies.push(m);
      },
      update: async (m) => {
        answered.updates.push(m);
      },
      openForm: async (f) => {
        answered.forms.push(f);
      },
    });
    return answered;
  }

  private base(userId: string, actor: Partial<Actor>) {
    return {
      eventId: `evt-${++sequence}`,
      actor: this.actor(userId, actor),
      conversation: { channelId: `dm-${userId}`, isDirect: true },
      workspaceName: "Test House",
    };
  }

  command(userId: string, command: string, text = "", actor: Partial<Actor> = {}) {
    return this.send({ kind: "command", command, input: { text }, ...this.base(userId, actor) });
  }

  commandWithOptions(userId: string, command: string, options: Record<string, unknown>, actor: Partial<Actor> = {}) {
    return this.send({ kind: "command", command, input: { options }, ...this.base(userId, actor) });
  }

  press(userId: string, actionId: string, value?: string, actor: Partial<Actor> = {}) {
    return this.send({ kind: "action", actionId, value, ...this.base(userId, actor) });
  }

  submit(userId: string, formId: string, values: Record<string, string>, actor: Partial<Actor> = {}) {
    return this.send({ kind: "formSubmit", formId, values, ...this.base(userId, actor) });
  }

  dm(userId: string, text: string, actor: Partial<Actor> = {}) {
    return this.send({ kind: "directText", text, ...this.base(userId, actor) });
  }
}

/** All text of the replies, joined: handy for `toContain` assertions. */
export function textOf(answered: Answered | Message[]): string {
  const messages = Array.isArray(answered) ? answered : [...answered.replies, ...answered.updates];
  return messages
    .map((m) => [m.title, m.text, ...(m.fields ?? []).map((f) => `${f.label}: ${f.value}`)].filter(Boolean).join("\n"))
    .join("\n---\n");
}
