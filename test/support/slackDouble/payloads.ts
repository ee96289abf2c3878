import { randomBytes } from "node:crypto";

/**
 * What Slack sends the app, shaped as Slack shapes it. The same payload goes into a Socket Mode
 * envelope or, form-encoded or as JSON, into a signed HTTP request.
 */

let counter = 0;
const next = () => ++counter;

export function triggerId(): string {
  return `${next()}.${Date.now()}.${randomBytes(8).toString("hex")}`;
}

export function eventId(): string {
  return `Ev${randomBytes(5).toString("hex").toUpperCase()}`;
}

interface Who {
  teamId: string;
  userId: string;
  userName: string;
}

export function slashCommand(
  who: Who,
  options: { command: string; text: string; channelId: string; channelName: string; responseUrl: string },
): Record<string, string> {
  return {
    token: "verification-token-unused",
    team_id: who.teamId,
    team_domain: "oak-house",
    channel_id: options.channelId,
    channel_name: options.channelName,
    user_id: who.userId,
    user_name: who.userName,
    command: `/${options.command}`,
    text: options.text,
    api_app_id: "ADOUBLE",
    is_enterprise_install: "false",
    response_url: options.responseUrl,
    trigger_id: triggerId(),
  };
}

export function blockAction(
  who: Who,
  options: {
    actionId: string;
    channelId: string;
    messageTs: string;
    responseUrl: string;
    selectedValue?: string;
    ephemeral?: boolean;
  },
): Record<string, unknown> {
  const element = options.selectedValue
    ? {
        type: "static_select",
        action_id: options.actionId,
        block_id: "select",
        selected_option: { text: { type: "plain_text", text: options.selectedValue }, value: options.selectedValue },
        action_ts: `${Date.now() / 1000}`,
      }
    : {
        type: "button",
        action_id: options.actionId,
        block_id: "buttons-0",
        text: { type: "plain_text", text: "x" },
        action_ts: `${Date.now() / 1000}`,
      };
  return {
    type: "block_actions",
    user: { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId },
    api_app_id: "ADOUBLE",
    token: "verification-token-unused",
    container: { type: "message", message_ts: options.messageTs, channel_id: options.channelId, is_ephemeral: options.ephemeral ?? false },
    trigger_id: triggerId(),
    team: { id: who.teamId, domain: "oak-house" },
    is_enterprise_install: false,
    channel: { id: options.channelId, name: options.channelId.startsWith("D") ? "directmessage" : "house" },
    ...(options.ephemeral ? {} : { message: { type: "message", user: "UBOTDOUBLE", ts: options.messageTs, text: "earlier message" } }),
    response_url: options.responseUrl,
    actions: [element],
  };
}

export function viewSubmission(
  who: Who,
  options: { callbackId: string; values: Record<string, string | null>; privateMetadata: string },
): Record<string, unknown> {
  const state = Object.fromEntries(
    Object.entries(options.values).map(([blockId, value]) => [blockId, { [blockId]: { type: "plain_text_input", value } }]),
  );
  return {
    type: "view_submission",
    team: { id: who.teamId, domain: "oak-house" },
    user: { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId },
    api_app_id: "ADOUBLE",
    token: "verification-token-unused",
    trigger_id: triggerId(),
    view: {
      id: `V${next()}`,
      team_id: who.teamId,
      type: "modal",
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata,
      state: { values: state },
      hash: "hash",
      title: { type: "plain_text", text: "form" },
      blocks: [],
      close: null,
      submit: null,
      app_id: "ADOUBLE",
      bot_id: "BBOTDOUBLE",
      root_view_id: null,
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

function eventCallback(teamId: string, event: Record<string, unknown>, id: string): Record<string, unknown> {
  return {
    token: "verification-token-unused",
    team_id: teamId,
    api_app_id: "ADOUBLE",
    event,
    type: "event_callback",
    event_id: id,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: "UBOTDOUBLE", is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export function directMessageEvent(
  who: Who,
  options: { channelId: string; text: string; eventId: string; botId?: string; subtype?: string },
): Record<string, unknown> {
  const ts = `${Date.now() / 1000}`;
  return eventCallback(
    who.teamId,
    {
      type: "message",
      channel: options.channelId,
      channel_type: "im",
      user: who.userId,
      text: options.text,
      ts,
      event_ts: ts,
      team: who.teamId,
      ...(options.botId ? { bot_id: options.botId, subtype: "bot_message" } : {}),
      ...(options.subtype ? { subtype: options.subtype } : {}),
    },
    options.eventId,
  );
}

export function appHomeOpened(who: Who, options: { eventId: string; tab?: "home" | "messages" }): Record<string, unknown> {
  return eventCallback(
    who.teamId,
    {
      type: "app_home_opened",
      user: who.userId,
      channel: `D${who.userId.slice(1)}`,
      tab: options.tab ?? "home",
      event_ts: `${Date.now() / 1000}`,
    },
    options.eventId,
  );
}
