import type { Writable } from "node:stream";
import { pressables, renderMessage } from "../adapters/console/render.ts";
import type { MessageRef } from "../core/events.ts";
import type { Message } from "../core/message.ts";
import type { AdapterCapabilities, ChannelTarget, ChatAdapter, DirectTarget, InboundHandlers, SentMessage } from "../core/ports.ts";

/**
 * The demo's chat: everything the bot sends is printed as a chat log, and the last buttons each
 * person received are remembered so the script can press them as that person would.
 */
export class TranscriptChat implements ChatAdapter {
  readonly platform = "console" as const;
  readonly capabilities: AdapterCapabilities = { images: false, forms: true, ephemeral: false, maxTextLength: 10_000 };
  private counter = 0;
  /** Every set of buttons each person received, newest last. */
  private readonly received = new Map<string, Array<Array<{ actionId: string; label: string }>>>();
  handlers: InboundHandlers | null = null;

  /** People whose DMs are shown in full; everyone else's appear as one line, to keep the log readable. */
  constructor(
    private readonly output: Writable,
    private readonly focus: ReadonlySet<string>,
  ) {}

  /** The newest button this person received that matches, as they would find it in their DMs. */
  findButton(userId: string, matches: (label: string, actionId: string) => boolean) {
    for (const set of [...(this.received.get(userId) ?? [])].reverse()) {
      const button = set.find((b) => matches(b.label, b.actionId));
      if (button) return button;
    }
    return undefined;
  }

  async start(handlers: InboundHandlers): Promise<void> {
    this.handlers = handlers;
  }

  async stop(): Promise<void> {
    this.handlers = null;
  }

  print(text: string): void {
    this.output.write(`${text}\n`);
  }

  show(userId: string, message: Message, heading: string): void {
    const buttons = pressables(message);
    if (buttons.length) this.received.set(userId, [...(this.received.get(userId) ?? []), buttons]);
    if (!this.focus.has(userId)) {
      const first = message.text.split("\n")[0] ?? "";
      this.print(`${heading} ${message.title ? `${message.title}: ${first}` : first}`);
      return;
    }
    this.print(renderMessage(message, heading).replace(/\n {2}\(type press <number>\)/, ""));
  }

  async sendDirect(target: DirectTarget, message: Message): Promise<SentMessage> {
    this.show(target.userId, message, `bot → ${target.userId} (DM):`);
    return { channelId: `dm-${target.userId}`, messageId: String(++this.counter) };
  }

  async postToChannel(target: ChannelTarget, message: Message): Promise<SentMessage> {
    this.print(renderMessage(message, `bot → #${target.channelId}:`));
    return { channelId: target.channelId, messageId: String(++this.counter) };
  }

  async updateMessage(_workspaceId: string, ref: MessageRef, message: Message): Promise<void> {
    const user = ref.channelId.startsWith("dm-") ? ref.channelId.slice(3) : null;
    if (user) this.show(user, message, `bot (edits its message to ${user}):`);
    else this.print(renderMessage(message, `bot (edits its post in #${ref.channelId}):`));
  }
}
