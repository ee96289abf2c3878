import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Actor, InboundEvent, MessageRef } from "../../core/events.ts";
import type { Form, Message } from "../../core/message.ts";
import type {
  AdapterCapabilities,
  ChannelTarget,
  ChatAdapter,
  DirectTarget,
  InboundHandler,
  InboundHandlers,
  Responder,
  SentMessage,
} from "../../core/ports.ts";
import { type Pressable, pressables, renderFormIntro, renderMessage } from "./render.ts";

export const CONSOLE_WORKSPACE = "local";
const OWNER = "owner";

export interface ConsoleAdapterOptions {
  input: Readable;
  output: Writable;
  /** Shown once at start, before the first prompt. */
  banner?: string;
  /** Where attached files (calendars, exports, charts) are written so they can be opened. */
  attachmentsDir?: string;
  /** The workspace this console plays (`local`, or `demo` for the demo house). */
  workspaceId?: string;
  /** Who you are at the start; this person is treated as the workspace's owner. */
  startAs?: string;
}

/**
 * A terminal chat that plays every member of one local workspace. It goes through the same
 * dispatcher, services and outbox as Discord and Slack; only the rendering is its own.
 */
export class ConsoleAdapter implements ChatAdapter {
  readonly platform = "console" as const;
  readonly capabilities: AdapterCapabilities = { images: false, forms: true, ephemeral: false, maxTextLength: 10_000 };

  private readonly session = randomBytes(3).toString("hex");
  private counter = 0;
  private current: string;
  private readonly owner: string;
  private readonly pending = new Map<string, Pressable[]>();
  private rl: Interface | null = null;
  private lines: AsyncIterator<string> | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  /** Resolves when the person types quit or input ends (a pipe closes). */
  readonly closed: Promise<void>;
  private markClosed: () => void = () => {};

  constructor(private readonly options: ConsoleAdapterOptions) {
    this.owner = options.startAs ?? OWNER;
    this.current = this.owner;
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  async start(handlers: InboundHandlers): Promise<void> {
    this.rl = createInterface({ input: this.options.input, terminal: false });
    this.lines = this.rl[Symbol.asyncIterator]();
    if (this.options.banner) this.print(this.options.banner);
    this.loop = this.run(handlers.handle).finally(() => this.markClosed());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.rl?.close();
    await this.loop?.catch(() => undefined);
  }

  async sendDirect(target: DirectTarget, message: Message): Promise<SentMessage> {
    const ref = { channelId: target.dmChannelId ?? `dm-${target.userId}`, messageId: this.nextId() };
    this.show(target.userId, message, target.userId === this.current ? "bot (DM):" : `bot → DM to ${target.userId}:`);
    return ref;
  }

  async postToChannel(target: ChannelTarget, message: Message): Promise<SentMessage> {
    this.print(renderMessage(message, `bot → #${target.channelId}:`));
    return { channelId: target.channelId, messageId: this.nextId() };
  }

  async updateMessage(_workspaceId: string, ref: MessageRef, message: Message): Promise<void> {
    const user = ref.channelId.startsWith("dm-") ? ref.channelId.slice(3) : null;
    if (user) this.show(user, message, `bot (updated a message to ${user}):`);
    else this.print(renderMessage(message, `bot (updated a message in #${ref.channelId}):`));
  }

  private nextId(): string {
    this.counter += 1;
    return `${this.session}-${this.counter}`;
  }

  private print(text: string): void {
    this.options.output.write(`${text}\n`);
  }

  private show(userId: string, message: Message, heading: string): void {
    const items = pressables(message);
    if (items.length) this.pending.set(userId, items);
    this.print(renderMessage(message, heading, this.save(message)));
  }

  /** A terminal cannot show a file, so it is written beside the data and its path printed. */
  private save(message: Message): string[] | undefined {
    const dir = this.options.attachmentsDir;
    if (!dir || !message.attachments?.length) return undefined;
    mkdirSync(dir, { recursive: true });
    return message.attachments.map((attachment) => {
      const file = path.join(dir, `${Date.now()}-${attachment.filename.replace(/[^\w.-]+/g, "_")}`);
      writeFileSync(file, Buffer.from(attachment.base64, "base64"));
      return file;
    });
  }

  private actor(): Actor {
    return {
      platform: "console",
      workspaceId: this.options.workspaceId ?? CONSOLE_WORKSPACE,
      userId: this.current,
      displayName: this.current,
      isWorkspaceAdmin: this.current === this.owner,
    };
  }

  private prompt(): void {
    if (!this.stopped) this.options.output.write(`[${this.current}] > `);
  }

  private async nextLine(): Promise<string | null> {
    const next = await this.lines?.next();
    if (!next || next.done) return null;
    return next.value;
  }

  private responder(): Responder {
    const userId = this.current;
    return {
      reply: async (message) => this.show(userId, message, "bot:"),
      update: async (message) => this.show(userId, message, "bot (updated):"),
      openForm: async (form) => {
        await this.fillForm(form);
      },
    };
  }

  private handlerRef: InboundHandler | null = null;

  private async fillForm(form: Form): Promise<void> {
    this.print(renderFormIntro(form));
    const values: Record<string, string> = {};
    for (const field of form.fields) {
      for (;;) {
        this.options.output.write(`  ? ${field.label}${field.required ? "" : " (optional)"}: `);
        const line = await this.nextLine();
        if (line === null) return;
        const value = line.trim();
        if (value.toLowerCase() === "cancel") {
          this.print("  Cancelled: nothing was sent.");
          return;
        }
        if (!value && field.required) {
          this.print("  This one is needed.");
          continue;
        }
        if (field.maxLength && value.length > field.maxLength) {
          this.print(`  Please keep it under ${field.maxLength} characters.`);
          continue;
        }
        if (value) values[field.id] = value;
        break;
      }
    }
    await this.emit({ kind: "formSubmit", formId: form.formId, values, ...this.base() });
  }

  private base() {
    return {
      eventId: `console-${this.session}-${this.nextId()}`,
      actor: this.actor(),
      conversation: { channelId: `dm-${this.current}`, isDirect: true },
      workspaceName: "Local house",
    };
  }

  private async emit(event: InboundEvent): Promise<void> {
    await this.handlerRef?.(event, this.responder());
  }

  private async run(onEvent: InboundHandler): Promise<void> {
    this.handlerRef = onEvent;
    this.prompt();
    for (;;) {
      const raw = await this.nextLine();
      if (raw === null || this.stopped) return;
      const line = raw.trim();
      if (line === "quit" || line === "exit" || line === "/quit") {
        this.print("Goodbye. Everything is saved; npm start picks up where you left off.");
        return;
      }
      if (line) await this.interpret(line);
      this.prompt();
    }
  }

  private async interpret(line: string): Promise<void> {
    const as = /^\/as\s+@?([A-Za-z][\w.-]{0,30})$/.exec(line);
    if (as?.[1]) {
      this.current = as[1].toLowerCase();
      this.print(`You are now ${this.current}.${this.current === this.owner ? " (the owner of this workspace)" : ""}`);
      const waiting = this.pending.get(this.current);
      if (waiting?.length)
        this.print(`  ${this.current} has buttons waiting: ${waiting.map((p, i) => `[${i + 1}] ${p.label}`).join("  ")}`);
      return;
    }
    if (line.startsWith("/as")) {
      this.print("Usage: /as <name>, for example /as sam (letters, digits, dots and dashes).");
      return;
    }
    const press = /^press\s+(\d+)$/i.exec(line);
    if (press?.[1]) {
      const items = this.pending.get(this.current) ?? [];
      const item = items[Number(press[1]) - 1];
      if (!item) {
        this.print(
          items.length ? `There is no button ${press[1]}: choose 1 to ${items.length}.` : "There are no buttons to press right now.",
        );
        return;
      }
      await this.emit({ kind: "action", actionId: item.actionId, value: item.value, ...this.base() });
      return;
    }
    const slash = /^\/([a-z][a-z-]*)(?:\s+(.*))?$/i.exec(line);
    if (slash?.[1]) {
      await this.emit({ kind: "command", command: slash[1].toLowerCase(), input: { text: slash[2] ?? "" }, ...this.base() });
      return;
    }
    await this.emit({ kind: "directText", text: line, ...this.base() });
  }
}

export function consoleBanner(dataLocation: string, demo = false): string {
  return [
    "",
    demo ? "Recovery check-in bot: the demo house" : "Recovery check-in bot: local console",
    `Data: ${dataLocation}`,
    demo
      ? "You are 'sam', the counsellor who runs the demo house. Try /alerts or /attendance, or /as ava to be the newcomer."
      : "You are 'owner', who runs this local workspace. Start with /setup, then /help.",
    "Type /as <name> to be someone else (e.g. /as sam), press <n> for a button, quit to leave.",
    "Anything else you type is a direct message to the bot.",
    "",
  ].join("\n");
}
