import type { APIDMChannel, APIInteractionResponse, APIMessage, REST, RequestData } from "discord.js";
import { Routes } from "discord.js";
import type { MessageRef } from "../../core/events.ts";
import type { DiscordMessagePayload } from "./render.ts";

/**
 * Raw REST calls through discord.js's REST client, so they share its rate-limit buckets and
 * DISCORD_API_URL. Bodies are the API JSON render.ts builds, sent as they are.
 */

/** The interaction a response belongs to; its token authorises the webhook calls, not the bot token. */
export interface InteractionHandle {
  id: string;
  token: string;
  applicationId: string;
}

function request(payload: DiscordMessagePayload, keepFlags: boolean): RequestData {
  const { files, flags, ...body } = payload;
  // Edits leave flags alone: an ephemeral reply must stay ephemeral when its "thinking…" is replaced.
  const json = keepFlags ? { ...body, flags } : body;
  return files.length ? { body: json, files } : { body: json };
}

export async function openDirectChannel(rest: REST, userId: string): Promise<string> {
  const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIDMChannel;
  return channel.id;
}

/** Posts each part in order; the last one (holding any buttons) is the one to edit later. */
export async function postMessages(rest: REST, channelId: string, parts: DiscordMessagePayload[]): Promise<MessageRef> {
  let last: APIMessage | null = null;
  for (const part of parts) {
    last = (await rest.post(Routes.channelMessages(channelId), request(part, true))) as APIMessage;
  }
  if (!last) throw new Error("nothing to post");
  return { channelId, messageId: last.id };
}

export async function editMessage(rest: REST, ref: MessageRef, payload: DiscordMessagePayload): Promise<void> {
  await rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), request(payload, false));
}

export async function respondToInteraction(rest: REST, interaction: InteractionHandle, response: APIInteractionResponse): Promise<void> {
  await rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: response, auth: false });
}

/** Replaces the deferred "thinking…" reply, or the message whose button was pressed after a deferred update. */
export async function editOriginal(rest: REST, interaction: InteractionHandle, payload: DiscordMessagePayload): Promise<void> {
  await rest.patch(Routes.webhookMessage(interaction.applicationId, interaction.token, "@original"), {
    ...request(payload, false),
    auth: false,
  });
}

export async function followUp(rest: REST, interaction: InteractionHandle, payload: DiscordMessagePayload): Promise<void> {
  await rest.post(Routes.webhook(interaction.applicationId, interaction.token), {
    ...request(payload, true),
    query: new URLSearchParams({ wait: "true" }),
    auth: false,
  });
}
