import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { toDeliveryError } from "../../../src/adapters/slack/delivery.ts";

const slackSays = (error: string) => ({
  code: webApi.ErrorCode.PlatformError,
  data: { ok: false, error },
  message: `An API error occurred: ${error}`,
});

describe("what a Slack error means for the outbox", () => {
  it.each(["user_not_found", "cannot_dm_bot", "user_disabled"])("%s on a DM: the person cannot be reached, never retry", (code) => {
    expect(toDeliveryError(slackSays(code), "direct").options).toEqual({ permanent: true, unreachable: true, code });
  });

  it("a rate limit is retried after Slack's Retry-After", () => {
    const limited = { code: webApi.ErrorCode.RateLimitedError, retryAfter: 12 };
    expect(toDeliveryError(limited, "direct").options).toEqual({ permanent: false, retryAfterMs: 12_000, code: "ratelimited" });
  });

  it("a channel the bot is not in is permanent, and says nothing about any person", () => {
    expect(toDeliveryError(slackSays("not_in_channel"), "channel").options).toEqual({ permanent: true, code: "not_in_channel" });
  });

  it("our own token being dead is permanent but never blames the recipient", () => {
    for (const code of ["account_inactive", "token_revoked", "invalid_auth", "missing_scope"]) {
      expect(toDeliveryError(slackSays(code), "direct").options).toEqual({ permanent: true, code });
    }
  });

  it("a message Slack will never accept is not retried", () => {
    expect(toDeliveryError(slackSays("invalid_blocks"), "channel").options.permanent).toBe(true);
  });

  it("Slack's own trouble and network errors are retried", () => {
    expect(toDeliveryError(slackSays("internal_error"), "direct").options).toEqual({ permanent: false, code: "internal_error" });
    const network = Object.assign(new Error("socket hang up: Sam's note text"), { code: webApi.ErrorCode.RequestError });
    const mapped = toDeliveryError(network, "direct");
    expect(mapped.options.permanent).toBe(false);
    expect(mapped.message).not.toContain("note text");
  });
});
