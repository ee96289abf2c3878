import { DiscordAPIError, HTTPError, RateLimitError } from "discord.js";
import { describe, expect, it } from "vitest";
import { loggableError, toDeliveryError } from "../../../src/adapters/discord/errors.ts";

const body = { body: { content: "a resident's private words" }, files: undefined };
const apiError = (status: number, code: number, message = "Refused") =>
  new DiscordAPIError({ code, message }, code, status, "POST", "https://discord.com/api/v10/channels/1/messages", body);

describe("what a failed send means for the outbox", () => {
  it.each([
    [50007, "closed their DMs"],
    [50001, "shares no server with the bot any more"],
    [10013, "no longer exists"],
  ])("a DM refused with %i (the person %s) is permanent and marks them unreachable", (code) => {
    expect(toDeliveryError(apiError(403, code), "direct").options).toEqual({ permanent: true, unreachable: true, code: String(code) });
  });

  it("the same codes on a channel post are permanent but say nothing about a person", () => {
    expect(toDeliveryError(apiError(403, 50001), "channel").options).toEqual({ permanent: true, code: "50001" });
  });

  it("a rate limit is retried after the time Discord asked for", () => {
    const limit = new RateLimitError({
      global: false,
      method: "POST",
      url: "u",
      route: "/channels/:id/messages",
      majorParameter: "1",
      hash: "h",
      limit: 5,
      timeToReset: 0,
      retryAfter: 30_050,
      sublimitTimeout: 0,
      scope: "user",
    });
    expect(toDeliveryError(limit, "direct").options).toEqual({ permanent: false, retryAfterMs: 30_050, code: "429" });
  });

  it("an outage, a network failure or a bad token is retried; a malformed message is not", () => {
    expect(toDeliveryError(new HTTPError(503, "Service Unavailable", "POST", "u", body), "direct").options.permanent).toBe(false);
    expect(toDeliveryError(new TypeError("fetch failed"), "direct").options.permanent).toBe(false);
    expect(toDeliveryError(apiError(401, 0, "401: Unauthorized"), "channel").options.permanent).toBe(false);
    expect(toDeliveryError(apiError(400, 50035, "Invalid Form Body\ncontent: too long"), "channel").options).toEqual({
      permanent: true,
      code: "50035",
    });
  });

  it("logs an error's summary but never the request that carried someone's words", () => {
    const logged = JSON.stringify(loggableError(apiError(400, 50035, "Invalid Form Body\ncontent: too long")));
    expect(logged).toContain("Invalid Form Body");
    expect(logged).not.toContain("private words");
  });
});
