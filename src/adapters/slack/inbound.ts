import type { BlockAction, SlashCommand, ViewSubmitAction } from "@slack/bolt";
import type { ActionEvent, Actor, CommandEvent, Conversation, DirectTextEvent, FormSubmitEvent } from "../../core/events.ts";

/**
 * Slack payloads → neutral events. Pure: the adapter looks the person up (users.info) and passes
 * the actor in. Event ids are Slack's own: `trigger_id` for commands and clicks, `event_id` for
 * Events API deliveries, which Slack keeps when it retries, so the dispatcher drops the repeat.
 */

/** Who acted, from the payload alone: enough to decide on a form before acknowledging. */
export function payloadActor(teamId: string, userId: string, name: string | undefined): Actor {
  return { platform: "slack", workspaceId: teamId, userId, displayName: name || userId, isWorkspaceAdmin: false };
}

/** Slack IM channel ids start with D; slash commands also say "directmessage". */
export function isDirectChannel(channelId: string, channelName?: string): boolean {
  return channelId.startsWith("D") || channelName === "directmessage";
}

export function commandEvent(body: SlashCommand, actor: Actor): CommandEvent {
  return {
    kind: "command",
    eventId: body.trigger_id,
    actor,
    command: body.command.replace(/^\//, "").toLowerCase(),
    input: { text: body.text ?? "" },
    conversation: { channelId: body.channel_id, isDirect: isDirectChannel(body.channel_id, body.channel_name) },
    workspaceName: body.team_domain,
  };
}

export function teamOfInteraction(body: Pick<BlockAction | ViewSubmitAction, "team" | "user">): string {
  return body.team?.id ?? body.user.team_id ?? "";
}

/** Where a clicked element lives: a message in a channel or DM, or a view (the Home tab). */
export interface ClickSource {
  channelId?: string;
  messageTs?: string;
  /** Ephemeral messages cannot be edited with chat.update, only through the response URL. */
  ephemeral: boolean;
}

export function clickSource(body: BlockAction): ClickSource {
  const container = body.container as { channel_id?: unknown; message_ts?: unknown; is_ephemeral?: unknown };
  const channelId = body.channel?.id ?? (typeof container.channel_id === "string" ? container.channel_id : undefined);
  const messageTs = body.message?.ts ?? (typeof container.message_ts === "string" ? container.message_ts : undefined);
  return { channelId, messageTs, ephemeral: container.is_ephemeral === true };
}

/** A button press or select choice; null for elements we never render (date pickers, inputs). */
export function actionEvent(body: BlockAction, actor: Actor): ActionEvent | null {
  const element = body.actions[0];
  if (!element) return null;
  let value: string | undefined;
  if (element.type === "static_select") value = element.selected_option?.value;
  else if (element.type !== "button") return null;
  const source = clickSource(body);
  const conversation: Conversation = source.channelId
    ? { channelId: source.channelId, isDirect: isDirectChannel(source.channelId, body.channel?.name) }
    : { channelId: actor.userId, isDirect: true };
  return {
    kind: "action",
    eventId: body.trigger_id,
    actor,
    actionId: element.action_id,
    ...(value !== undefined ? { value } : {}),
    ...(source.channelId && source.messageTs ? { messageRef: { channelId: source.channelId, messageId: source.messageTs } } : {}),
    conversation,
    workspaceName: body.team?.domain,
  };
}

/** Field values by field id: we set block_id and action_id to the field id when rendering. */
export function formValues(state: ViewSubmitAction["view"]["state"]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(state.values)) {
    const input = actions[blockId] ?? Object.values(actions)[0];
    const value = input?.value ?? input?.selected_option?.value;
    if (typeof value === "string" && value.trim() !== "") values[blockId] = value;
  }
  return values;
}

/** Where a form was opened from, carried through the modal's private_metadata. */
export interface FormOrigin {
  channelId?: string;
  isDirect: boolean;
  /** The message holding the button that opened the form, so the submission can update it. */
  messageTs?: string;
}

export function encodeOrigin(origin: FormOrigin): string {
  return JSON.stringify({ c: origin.channelId, d: origin.isDirect, m: origin.messageTs });
}

export function decodeOrigin(metadata: string | undefined): FormOrigin {
  try {
    const raw = JSON.parse(metadata ?? "") as { c?: unknown; d?: unknown; m?: unknown };
    return {
      channelId: typeof raw.c === "string" ? raw.c : undefined,
      isDirect: raw.d === true,
      messageTs: typeof raw.m === "string" ? raw.m : undefined,
    };
  } catch {
    return { isDirect: true };
  }
}

export function formSubmitEvent(body: ViewSubmitAction, actor: Actor, origin: FormOrigin): FormSubmitEvent {
  return {
    kind: "formSubmit",
    eventId: body.trigger_id,
    actor,
    formId: body.view.callback_id,
    values: formValues(body.view.state),
    conversation: { channelId: origin.channelId ?? actor.userId, isDirect: origin.isDirect },
    workspaceName: body.team?.domain,
  };
}

/** The parts of a `message` event we read; Slack sends many shapes under one type. */
export interface SlackMessageEvent {
  channel?: unknown;
  channel_type?: unknown;
  user?: unknown;
  text?: unknown;
  subtype?: unknown;
  bot_id?: unknown;
}

export interface DirectMessage {
  userId: string;
  channelId: string;
  text: string;
}

/** A person's own new message in their DM with the bot; null for bots, edits, joins and the rest. */
export function directMessage(event: SlackMessageEvent): DirectMessage | null {
  if (event.channel_type !== "im" || event.subtype !== undefined || event.bot_id !== undefined) return null;
  if (typeof event.user !== "string" || typeof event.channel !== "string" || typeof event.text !== "string") return null;
  return { userId: event.user, channelId: event.channel, text: event.text };
}

export function directTextEvent(eventId: string, message: DirectMessage, actor: Actor): DirectTextEvent {
  return { kind: "directText", eventId, actor, text: message.text, conversation: { channelId: message.channelId, isDirect: true } };
}
