import type { Actor, InboundEvent } from "../../src/core/events.ts";
import type { Message } from "../../src/core/message.ts";
import type { AdapterCapabilities, ChannelTarget, ChatAdapter, DirectTarget, Responder, SentMessage } from "../../src/core/ports.ts";
import type { PacedAdapter } from "../../src/outbox/dispatcher.ts";

/**
 * A chat platform that accepts every send and keeps none of it: the memory figure must be the
 * bot's, so this side holds counters and the few reactions still to perform, never the messages.
 * Residents and counsellors react to what reaches them the way the reliability runs' people do,
 * each choice drawn from a hash of the check-in or alert id, so the day needs no table of who
 * decided what.
 */

export type Behaviour = "words" | "steady" | "fullForm" | "afterReminder" | "used" | "craving" | "help" | "silent";

/** Shares of each behaviour, in the order they are drawn; what is left over stays silent. */
const BEHAVIOURS: Array<[Behaviour, number]> = [
  ["words", 0.4],
  ["steady", 0.15],
  ["fullForm", 0.1],
  ["afterReminder", 0.12],
  ["used", 0.04],
  ["craving", 0.05],
  ["help", 0.02],
];

/** FNV-1a over the id, scaled to [0, 1): a stable roll per check-in or alert. */
export function rollFor(id: string, salt = ""): number {
  let hash = 0x811c9dc5;
  for (const char of `${salt}${id}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

export function behaviourOf(checkinId: string): Behaviour {
  let roll = rollFor(checkinId);
  for (const [behaviour, share] of BEHAVIOURS) {
    if (roll < share) return behaviour;
    roll -= share;
  }
  return "silent";
}

export interface DayCounts {
  prompts: number;
  reminders: number;
  alertNotifications: number;
  otherDirect: number;
  channelPosts: number;
  updates: number;
  /** Check-ins whose resident answered (or started answering) through the dispatcher. */
  answersGiven: number;
  acknowledged: number;
  resolved: number;
  inboundEvents: number;
  /** Replies the dispatcher produced for those events; an event with none would be a silent failure. */
  replies: number;
  eventsWithoutReply: number;
}

const CHECKIN_ACTION = /^ci:f:([^:]+):/;
const ACK_ACTION = /^al:ack:(.+)$/;

function firstAction(message: Message, pattern: RegExp): string | null {
  for (const row of message.buttons ?? []) {
    for (const button of row) {
      const found = pattern.exec(button.actionId);
      if (found?.[1]) return found[1];
    }
  }
  return null;
}

/** One person's events, performed in order. */
type Sequence = InboundEvent[];

export class MemoryChat implements ChatAdapter, PacedAdapter {
  readonly platform = "discord" as const;
  readonly capabilities: AdapterCapabilities = { images: true, forms: true, ephemeral: true, maxTextLength: 4000 };
  /** As the Discord adapter at Discord's default limit (50 requests a second): the outbox keeps 10 sends in flight. */
  readonly maxSendsInFlight = 10;
  readonly counts: DayCounts = {
    prompts: 0,
    reminders: 0,
    alertNotifications: 0,
    otherDirect: 0,
    channelPosts: 0,
    updates: 0,
    answersGiven: 0,
    acknowledged: 0,
    resolved: 0,
    inboundEvents: 0,
    replies: 0,
    eventsWithoutReply: 0,
  };
  private pending: Sequence[] = [];
  private sequence = 0;
  private handle: ((event: InboundEvent, responder: Responder) => Promise<void>) | null = null;

  async start(handlers: { handle: (event: InboundEvent, responder: Responder) => Promise<void> }): Promise<void> {
    this.handle = handlers.handle;
  }

  async stop(): Promise<void> {
    this.handle = null;
  }

  async sendDirect(target: DirectTarget, message: Message): Promise<SentMessage> {
    this.react(target.workspaceId, target.userId, message);
    return { channelId: target.dmChannelId ?? `dm-${target.userId}`, messageId: this.nextId() };
  }

  async postToChannel(target: ChannelTarget): Promise<SentMessage> {
    this.counts.channelPosts++;
    return { channelId: target.channelId, messageId: this.nextId() };
  }

  async updateMessage(): Promise<void> {
    this.counts.updates++;
  }

  /**
   * Performs what people decided to do since the last call, all at once, as a platform hands the
   * bot a burst of presses: each person's events in order, one after the other, while the
   * dispatcher decides how many it works on at a time. Resolves with the number of people who acted.
   */
  async performReactions(): Promise<number> {
    const queue = this.pending;
    this.pending = [];
    await Promise.all(
      queue.map(async (events) => {
        for (const event of events) await this.dispatch(event);
      }),
    );
    return queue.length;
  }

  private nextId(): string {
    return `m${++this.sequence}`;
  }

  private react(workspaceId: string, userId: string, message: Message): void {
    const checkinId = firstAction(message, CHECKIN_ACTION);
    if (checkinId) {
      const behaviour = behaviourOf(checkinId);
      if (message.title === "Daily check-in") {
        this.counts.prompts++;
        const answer = this.answerTo(checkinId, behaviour, workspaceId, userId);
        if (answer) this.answer(answer);
      } else {
        this.counts.reminders++;
        if (behaviour === "afterReminder") this.answer([this.press(workspaceId, userId, `ci:f:${checkinId}:steady`)]);
      }
      return;
    }
    const alertId = firstAction(message, ACK_ACTION);
    if (alertId) {
      this.counts.alertNotifications++;
      const roll = rollFor(alertId, userId);
      // Half the alerts are acknowledged by whoever hears first, half of those resolved; the rest climb the ladder.
      if (roll < 0.5) {
        const events: Sequence = [this.press(workspaceId, userId, `al:ack:${alertId}`)];
        this.counts.acknowledged++;
        if (roll < 0.25) {
          events.push({
            ...this.base(workspaceId, userId),
            kind: "formSubmit",
            formId: `alres:${alertId}`,
            values: { outcome: "Spoke with them; they are safe." },
          });
          this.counts.resolved++;
        }
        this.pending.push(events);
      }
      return;
    }
    this.counts.otherDirect++;
  }

  private answer(events: Sequence): void {
    this.counts.answersGiven++;
    this.pending.push(events);
  }

  private answerTo(checkinId: string, behaviour: Behaviour, workspaceId: string, userId: string): Sequence | null {
    const press = (actionId: string) => this.press(workspaceId, userId, actionId);
    const roll = rollFor(checkinId, "numbers");
    switch (behaviour) {
      case "words": {
        const craving = Math.floor(roll * 5);
        const mood = 2 + Math.floor(roll * 4);
        const text = `sober, craving ${craving}, mood ${mood}, ${roll < 0.5 ? "went to a meeting" : "no meeting"}`;
        return [{ ...this.base(workspaceId, userId), kind: "directText", text }];
      }
      case "steady":
      case "used":
      case "help":
        return [press(`ci:f:${checkinId}:${behaviour}`)];
      case "fullForm":
        return [
          press(`ci:f:${checkinId}:steady`),
          press(`ci:c:${checkinId}:${Math.floor(roll * 4)}`),
          press(`ci:m:${checkinId}:${3 + Math.floor(roll * 3)}`),
          press(`ci:g:${checkinId}:${roll < 0.5 ? "yes" : "no"}`),
          press(`ci:d:${checkinId}`),
        ];
      case "craving":
        return [press(`ci:f:${checkinId}:struggling`), press(`ci:c:${checkinId}:9`)];
      case "afterReminder":
      case "silent":
        return null;
    }
  }

  private press(workspaceId: string, userId: string, actionId: string): InboundEvent {
    return { ...this.base(workspaceId, userId), kind: "action", actionId };
  }

  private base(workspaceId: string, userId: string): { eventId: string; actor: Actor; conversation: InboundEvent["conversation"] } {
    return {
      eventId: `memory-${++this.sequence}`,
      actor: { platform: "discord", workspaceId, userId, displayName: userId, isWorkspaceAdmin: false },
      conversation: { channelId: `dm-${userId}`, isDirect: true },
    };
  }

  private async dispatch(event: InboundEvent): Promise<void> {
    if (!this.handle) throw new Error("MemoryChat was not started");
    this.counts.inboundEvents++;
    let replies = 0;
    const counted = async () => {
      replies++;
    };
    const responder: Responder = { reply: counted, update: counted, openForm: counted };
    await this.handle(event, responder);
    this.counts.replies += replies;
    if (replies === 0) this.counts.eventsWithoutReply++;
  }
}
