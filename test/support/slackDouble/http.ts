import { createHmac } from "node:crypto";
import { stringify } from "node:querystring";
import type { EnvelopeType } from "./slackDouble.ts";

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** The body Slack posts for each kind: commands form-encoded, interactions as a `payload` field, events as JSON. */
export function encode(type: EnvelopeType, payload: unknown): { body: string; contentType: string } {
  if (type === "slash_commands") {
    return { body: stringify(payload as Record<string, string>), contentType: "application/x-www-form-urlencoded" };
  }
  if (type === "interactive") {
    return { body: stringify({ payload: JSON.stringify(payload) }), contentType: "application/x-www-form-urlencoded" };
  }
  return { body: JSON.stringify(payload), contentType: "application/json" };
}

export interface HttpDelivery {
  status: number;
  body: string;
}

/** Posts to the app as Slack would, signed with `secret` (or with a forged signature when asked). */
export async function postSigned(
  url: string,
  type: EnvelopeType,
  payload: unknown,
  options: { secret: string; retryNum?: number; retryReason?: string; forgeSignature?: boolean; timestamp?: number },
): Promise<HttpDelivery> {
  const { body, contentType } = encode(type, payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.forgeSignature ? sign("not-the-signing-secret", timestamp, body) : sign(options.secret, timestamp, body);
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signature,
      ...(options.retryNum !== undefined ? { "x-slack-retry-num": String(options.retryNum) } : {}),
      ...(options.retryReason ? { "x-slack-retry-reason": options.retryReason } : {}),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}
