/**
 * What arrives from a chat platform, after the adapter has translated it. Every event carries
 * the platform's own id so the dispatcher can drop replays (Slack retries, gateway resumes).
 */

export type Platform = "discord" | "slack" | "console";

export interface Actor {
  platform: Platform;
  /** Discord guild id, Slack team id, "local" for the console. */
  workspaceId: string;
  userId: string;
  displayName: string;
  /** The platform says this person owns or administers the server/workspace. Only used to let the first /setup through. */
  isWorkspaceAdmin: boolean;
  isBot?: boolean;
  /** IANA zone the platform reports for the person (Slack's users.info tz), if any. */
  timezone?: string;
}

export interface Conversation {
  channelId: string;
  isDirect: boolean;
}

interface EventBase {
  /** Platform event id: interaction id, Slack event_id/trigger, console counter. */
  eventId: string;
  actor: Actor;
  conversation: Conversation;
  /** Name or id of a workspace, for /setup of a new house. */
  workspaceName?: string;
}

export interface CommandEvent extends EventBase {
  kind: "command";
  command: string;
  /** Typed options (Discord) or unparsed text after the command (Slack, console). */
  input: { options: Record<string, unknown> } | { text: string };
}

export interface ActionEvent extends EventBase {
  kind: "action";
  actionId: string;
  /** Selected value of a select menu. */
  value?: string;
  /** The platform message holding the button, so it can be updated. */
  messageRef?: MessageRef;
}

export interface FormSubmitEvent extends EventBase {
  kind: "formSubmit";
  formId: string;
  values: Record<string, string>;
}

export interface DirectTextEvent extends EventBase {
  kind: "directText";
  text: string;
}

export type InboundEvent = CommandEvent | ActionEvent | FormSubmitEvent | DirectTextEvent;

/** Where a delivered message lives, so it can be edited later (alert "acknowledged by …"). */
export interface MessageRef {
  channelId: string;
  messageId: string;
}
