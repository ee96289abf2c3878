import type { RespondFn, webApi } from "@slack/bolt";
import type { InboundEvent } from "../../core/events.ts";
import { message as buildMessage, type Form, type Message, truncate } from "../../core/message.ts";
import type { Logger, Responder } from "../../core/ports.ts";
import { STALE_DM_CHANNEL, slackErrorCode } from "./delivery.ts";
import { encodeOrigin, type FormOrigin } from "./inbound.ts";
import { renderForm, renderMessage, SLACK_LIMITS } from "./render.ts";

/** Slack gives a trigger id 3 seconds; past this we post a button that opens the form instead. */
export const TRIGGER_FRESH_MS = 2_500;

/** Everything needed to answer one interaction where it happened. */
export interface Interaction {
  client: webApi.WebClient;
  kind: InboundEvent["kind"];
  userId: string;
  /** Absent for the Home tab and for forms opened from it. */
  channelId?: string;
  isDirect: boolean;
  /** The response URL of a command or a click in a message. */
  respond?: RespondFn;
  /** The message holding the clicked element, to edit it. */
  messageTs?: string;
  ephemeralSource?: boolean;
  triggerId?: string;
  receivedAt: number;
}

export interface ResponderDeps {
  logger: Logger;
  /** Keeps a form behind a button and returns the button's action id. */
  rememberForm(form: Form, origin: FormOrigin): string;
}

export function originOf(interaction: Interaction): FormOrigin {
  return { channelId: interaction.channelId, isDirect: interaction.isDirect, messageTs: interaction.messageTs };
}

/**
 * How the dispatcher's replies reach Slack: into the DM, privately in a channel (through the
 * response URL or chat.postEphemeral), as an edit of the clicked message, or as a modal.
 */
export function createResponder(interaction: Interaction, deps: ResponderDeps): Responder {
  const { client, userId, channelId, respond } = interaction;

  const reply = async (message: Message): Promise<void> => {
    const rendered = renderMessage(message);
    const common = { ...rendered, unfurl_links: false, unfurl_media: false };
    if (channelId && interaction.isDirect) {
      try {
        await client.chat.postMessage({ ...common, channel: channelId });
        return;
      } catch (error) {
        // A command typed in a DM between two people: the bot is not in it, the response URL is.
        if (!respond || !STALE_DM_CHANNEL.has(slackErrorCode(error) ?? "")) throw error;
        await respond({ ...common, response_type: "ephemeral" });
        return;
      }
    }
    if (channelId) {
      // Answers to one person stay theirs unless the message explicitly says otherwise.
      const ephemeral = message.ephemeral !== false;
      if (respond) {
        await respond({ ...common, response_type: ephemeral ? "ephemeral" : "in_channel" });
        return;
      }
      try {
        if (ephemeral) await client.chat.postEphemeral({ ...rendered, channel: channelId, user: userId });
        else await client.chat.postMessage({ ...common, channel: channelId });
        return;
      } catch (error) {
        if (!STALE_DM_CHANNEL.has(slackErrorCode(error) ?? "")) throw error;
      }
    }
    // The Home tab, or a channel the bot cannot post in: the person's DM with the bot.
    await client.chat.postMessage({ ...common, channel: userId });
  };

  const update = async (message: Message): Promise<void> => {
    if (!channelId || !interaction.messageTs) {
      await reply(message);
      return;
    }
    const rendered = renderMessage(message);
    try {
      if (interaction.ephemeralSource && respond) await respond({ ...rendered, replace_original: true });
      else await client.chat.update({ ...rendered, channel: channelId, ts: interaction.messageTs });
    } catch (error) {
      deps.logger.warn({ code: slackErrorCode(error) }, "slack chat.update failed; replying instead");
      await reply(message);
    }
  };

  const openForm = async (form: Form): Promise<void> => {
    const origin = originOf(interaction);
    if (interaction.triggerId && Date.now() - interaction.receivedAt < TRIGGER_FRESH_MS) {
      try {
        await client.views.open({ trigger_id: interaction.triggerId, view: renderForm(form, encodeOrigin(origin)) });
        return;
      } catch (error) {
        deps.logger.warn({ code: slackErrorCode(error), formId: form.formId }, "slack views.open failed; posting a button");
      }
    }
    const actionId = deps.rememberForm(form, origin);
    await reply(
      buildMessage(`${form.title}: press the button to open it.`, {
        buttons: [[{ actionId, label: truncate(`Open: ${form.title}`, SLACK_LIMITS.buttonText), style: "primary" }]],
        ephemeral: true,
      }),
    );
  };

  return { reply, update, openForm };
}
