import { randomBytes } from "node:crypto";
import { InteractionResponseType, MessageFlags, type REST } from "discord.js";
import { type Form, type Message, message, truncate } from "../../core/message.ts";
import type { Responder } from "../../core/ports.ts";
import { renderEdit, renderMessage, renderModal } from "./render.ts";
import { editOriginal, followUp, type InteractionHandle, postMessages, respondToInteraction } from "./send.ts";

/** Custom-id prefix of the adapter's own "open the form" buttons; "~" is never a command's action prefix. */
export const FORM_BUTTON_PREFIX = "~form:";

const FORM_TTL_MS = 15 * 60_000;
const MAX_PENDING_FORMS = 500;

/**
 * Forms that could not be opened at once. Discord only opens a modal as the first answer to a
 * click, and anything that touched the database has already deferred; so the person gets a button,
 * and pressing it opens the form straight away. Held in memory for the 15 minutes an interaction
 * lives: after a restart the button says the form expired, and the person starts again.
 */
export class PendingForms {
  private readonly forms = new Map<string, { form: Form; userId: string; expiresAt: number }>();

  add(form: Form, userId: string): string {
    const now = Date.now();
    for (const [key, entry] of this.forms) {
      if (entry.expiresAt <= now || this.forms.size >= MAX_PENDING_FORMS) this.forms.delete(key);
    }
    const key = randomBytes(8).toString("hex");
    this.forms.set(key, { form, userId, expiresAt: now + FORM_TTL_MS });
    return key;
  }

  /** The form behind a button, for the person it was offered to; kept so a dismissed form can be reopened. */
  get(customId: string, userId: string): Form | null {
    const entry = this.forms.get(customId.slice(FORM_BUTTON_PREFIX.length));
    if (!entry || entry.expiresAt <= Date.now() || entry.userId !== userId) return null;
    return entry.form;
  }
}

function formOffer(form: Form, key: string): Message {
  return message("This needs a few answers. Press the button to open the form.", {
    buttons: [[{ actionId: `${FORM_BUTTON_PREFIX}${key}`, label: truncate(form.title, 80), style: "primary" }]],
    ephemeral: true,
  });
}

export async function showModal(rest: REST, interaction: InteractionHandle, form: Form): Promise<void> {
  await respondToInteraction(rest, interaction, { type: InteractionResponseType.Modal, data: renderModal(form) });
}

export async function answerAtOnce(rest: REST, interaction: InteractionHandle, text: string): Promise<void> {
  const [payload] = renderMessage(message(text));
  await respondToInteraction(rest, interaction, {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content: payload?.content ?? text, allowed_mentions: { parse: [] }, flags: MessageFlags.Ephemeral },
  });
}

/**
 * Answers one interaction after it has been acknowledged. A command (or a form opened from a
 * command) deferred a reply: the first message replaces the "thinking…" placeholder and later
 * ones follow up. A button, select or form opened from a message deferred an update: `update`
 * edits that message and `reply` follows up. In server channels, command replies are always
 * private (the deferral had to choose before the answer existed, and answers are about the
 * person's own data); follow-ups to buttons are private when the message asks.
 */
export class InteractionResponder implements Responder {
  private placeholderReplaced = false;

  constructor(
    private readonly rest: REST,
    private readonly interaction: InteractionHandle,
    private readonly mode: "reply" | "update",
    private readonly inGuild: boolean,
    private readonly forms: PendingForms,
    private readonly userId: string,
  ) {}

  async acknowledge(): Promise<void> {
    await respondToInteraction(
      this.rest,
      this.interaction,
      this.mode === "reply"
        ? { type: InteractionResponseType.DeferredChannelMessageWithSource, data: this.inGuild ? { flags: MessageFlags.Ephemeral } : {} }
        : { type: InteractionResponseType.DeferredMessageUpdate },
    );
  }

  async reply(content: Message): Promise<void> {
    const ephemeral = this.inGuild && (this.mode === "reply" || content.ephemeral === true);
    for (const part of renderMessage(content, { ephemeral })) {
      if (this.mode === "reply" && !this.placeholderReplaced) {
        await editOriginal(this.rest, this.interaction, part);
        this.placeholderReplaced = true;
      } else {
        await followUp(this.rest, this.interaction, part);
      }
    }
  }

  async update(content: Message): Promise<void> {
    if (this.mode === "reply") return this.reply(content);
    await editOriginal(this.rest, this.interaction, renderEdit(content));
  }

  async openForm(form: Form): Promise<void> {
    await this.reply(formOffer(form, this.forms.add(form, this.userId)));
  }
}

/** Answers a DM: plain messages in the same channel; there is no message to update, so updates are new messages. */
export function directChannelResponder(rest: REST, channelId: string, forms: PendingForms, userId: string): Responder {
  const reply = async (content: Message) => {
    await postMessages(rest, channelId, renderMessage(content));
  };
  return {
    reply,
    update: reply,
    openForm: (form) => reply(formOffer(form, forms.add(form, userId))),
  };
}
