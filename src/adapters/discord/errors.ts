import { DiscordAPIError, HTTPError, type RateLimitData, RateLimitError } from "discord.js";
import { MessageShapeError } from "../../core/message.ts";
import { DeliveryError } from "../../core/ports.ts";

/** Discord's JSON error codes this adapter acts on. */
export const DiscordCode = {
  unknownChannel: 10003,
  unknownMember: 10007,
  unknownMessage: 10008,
  unknownUser: 10013,
  unknownInteraction: 10062,
  missingAccess: 50001,
  cannotMessageUser: 50007,
  missingPermissions: 50013,
  alreadyAcknowledged: 40060,
} as const;

/** Codes meaning "this person cannot be DMed": closed DMs, no server shared with the bot any more, gone. */
const UNREACHABLE_BY_DM = new Set<number | string>([DiscordCode.cannotMessageUser, DiscordCode.missingAccess, DiscordCode.unknownUser]);

/**
 * Rate limits shorter than this are waited out inside discord.js's REST queue (one retry after
 * Retry-After, never earlier). Longer ones are handed back to the outbox, which reschedules the
 * row and serves other rows meanwhile instead of holding a worker for minutes.
 */
export const MAX_INLINE_RATE_LIMIT_WAIT_MS = 5_000;

export function rateLimitWaitMs(data: Pick<RateLimitData, "retryAfter" | "timeToReset" | "sublimitTimeout">): number {
  return Math.max(data.retryAfter, data.timeToReset, data.sublimitTimeout);
}

export type SendKind = "direct" | "channel" | "update";

/**
 * Turns whatever a send threw into the outbox's vocabulary: permanent failures are never
 * retried, and "unreachable" (DMs only) tells the reachability listener to mark the member.
 */
export function toDeliveryError(error: unknown, kind: SendKind): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof MessageShapeError)
    return new DeliveryError(`message cannot be shown on Discord: ${error.message}`, { permanent: true });
  if (error instanceof RateLimitError) {
    return new DeliveryError(`Discord rate limit on ${error.route}`, {
      permanent: false,
      retryAfterMs: rateLimitWaitMs(error),
      code: "429",
    });
  }
  if (error instanceof DiscordAPIError) {
    const code = String(error.code);
    // Only the first line: later lines of a 50035 list field paths, never needed to act.
    const summary = `Discord ${error.status} (${code}): ${error.message.split("\n")[0]}`;
    if (kind === "direct" && UNREACHABLE_BY_DM.has(error.code)) {
      return new DeliveryError(summary, { permanent: true, unreachable: true, code });
    }
    if (error.status === 429) {
      const seconds = "retry_after" in error.rawError ? Number(error.rawError.retry_after) : 0;
      return new DeliveryError(summary, { permanent: false, retryAfterMs: Math.ceil(seconds * 1000), code });
    }
    // 401 is a token problem someone can fix, so the row waits with backoff rather than dying.
    const permanent = error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 408;
    return new DeliveryError(summary, { permanent, code });
  }
  if (error instanceof HTTPError)
    return new DeliveryError(`Discord ${error.status}: ${error.message}`, { permanent: false, code: String(error.status) });
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(`could not reach Discord: ${message}`, { permanent: false, code: "network" });
}

/** The interaction was already answered (a replayed event, or another bot process took it) or has expired. */
export function isStaleInteraction(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError && (error.code === DiscordCode.alreadyAcknowledged || error.code === DiscordCode.unknownInteraction)
  );
}

/**
 * What may be logged about an error. discord.js errors carry the request body (which can hold a
 * resident's words) as an enumerable property that a logger's error serialiser would print.
 */
export function loggableError(error: unknown): { name: string; message: string; code?: string; status?: number } {
  if (error instanceof DiscordAPIError) {
    return { name: error.name, message: error.message.split("\n")[0] ?? "", code: String(error.code), status: error.status };
  }
  if (error instanceof HTTPError) return { name: error.name, message: error.message, status: error.status };
  if (error instanceof Error) return { name: error.name, message: error.message.split("\n")[0] ?? "" };
  return { name: "unknown", message: String(error).slice(0, 200) };
}
