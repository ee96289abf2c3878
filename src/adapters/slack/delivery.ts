import { webApi } from "@slack/bolt";
import { DeliveryError } from "../../core/ports.ts";

/**
 * What a failed Web API call means for the outbox. Only the recipient's own situation makes a
 * member unreachable; problems with our token or our message are permanent but say nothing
 * about the person, so counsellors are not told that everyone "closed their DMs".
 */

export type SendKind = "direct" | "channel" | "update";

/** The person cannot receive a DM from the bot at all. */
const RECIPIENT_GONE = new Set(["user_not_found", "cannot_dm_bot", "user_disabled", "not_in_channel", "channel_not_found", "is_archived"]);

/** The channel is missing, archived or closed to the bot: retrying the same post cannot help. */
const CHANNEL_CLOSED = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "restricted_action",
  "message_not_found",
  "cant_update_message",
]);

/**
 * Our side is broken: a revoked or deactivated bot token (`account_inactive` names the token's own
 * account), a missing scope, or a message Slack will never accept.
 */
const OURS = new Set([
  "account_inactive",
  "token_revoked",
  "token_expired",
  "invalid_auth",
  "not_authed",
  "missing_scope",
  "no_permission",
  "team_access_not_granted",
  "ekm_access_denied",
  "invalid_blocks",
  "invalid_blocks_format",
  "invalid_arguments",
  "msg_too_long",
  "no_text",
  "too_many_attachments",
  "not_installed",
]);

/** Channels that went stale in our cache (a re-opened DM gets a new id) and are worth one retry after conversations.open. */
export const STALE_DM_CHANNEL = new Set(["channel_not_found", "not_in_channel", "is_archived"]);

interface CodedError {
  code?: unknown;
  data?: { error?: unknown };
  retryAfter?: unknown;
}

/** Slack's error string (`user_not_found`), or `ratelimited`, or undefined for network trouble. */
export function slackErrorCode(error: unknown): string | undefined {
  const coded = error as CodedError | null;
  if (!coded || typeof coded !== "object") return undefined;
  if (coded.code === webApi.ErrorCode.RateLimitedError) return "ratelimited";
  if (coded.code === webApi.ErrorCode.PlatformError && typeof coded.data?.error === "string") return coded.data.error;
  return undefined;
}

export function toDeliveryError(error: unknown, kind: SendKind): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const coded = error as CodedError | null;
  const code = slackErrorCode(error);
  if (code === "ratelimited") {
    const seconds = typeof coded?.retryAfter === "number" ? coded.retryAfter : 30;
    return new DeliveryError(`slack rate limit: retry after ${seconds} s`, {
      permanent: false,
      retryAfterMs: seconds * 1000,
      code,
    });
  }
  if (code && kind === "direct" && RECIPIENT_GONE.has(code)) {
    return new DeliveryError(`slack refused the DM: ${code}`, { permanent: true, unreachable: true, code });
  }
  if (code && ((kind !== "direct" && CHANNEL_CLOSED.has(code)) || OURS.has(code))) {
    return new DeliveryError(`slack refused the message: ${code}`, { permanent: true, code });
  }
  // Only Slack's code or the error's class: a message could echo request text.
  const reason = code ?? (typeof coded?.code === "string" ? coded.code : "network or server error");
  return new DeliveryError(`slack send failed: ${reason}`, { permanent: false, code });
}
