import { readFile, stat } from "node:fs/promises";
import { megabytes } from "../../domain/meetings/index.ts";

/**
 * Getting a feed's text: from a web address, with a time limit and a size cap enforced while it
 * downloads, or (console only) from a file. Failures are a sentence for the counsellor; the body
 * of a response is never logged or echoed.
 */

export type FeedText = { ok: true; text: string } | { ok: false; reason: string };

export interface FeedLimits {
  timeoutMs: number;
  maxBytes: number;
}

function tooLarge(bytes: number, max: number): FeedText {
  return {
    ok: false,
    reason: `the feed is larger than ${megabytes(max)}${bytes > max ? ` (${megabytes(bytes)})` : ""}, so nothing was imported`,
  };
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function fetchFeedText(address: string, limits: FeedLimits): Promise<FeedText> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { ok: false, reason: "that is not a web address" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { ok: false, reason: "only http:// and https:// addresses can be imported" };
  const seconds = Math.round(limits.timeoutMs / 100) / 10;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(limits.timeoutMs),
      headers: { accept: "application/json" },
      redirect: "follow",
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, reason: `${url.host} answered with HTTP ${response.status}` };
    }
    const declared = Number(response.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await response.body?.cancel();
      return tooLarge(declared, limits.maxBytes);
    }
    if (!response.body) return { ok: true, text: "" };
    const bytes = await readCapped(response.body, limits.maxBytes);
    if (bytes === null) return tooLarge(0, limits.maxBytes);
    return { ok: true, text: new TextDecoder("utf-8").decode(bytes) };
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError") {
      return { ok: false, reason: `${url.host} did not send the feed within ${seconds} seconds` };
    }
    return { ok: false, reason: `I couldn't reach ${url.host}` };
  }
}

/** Reads a feed from a file on the machine running the bot (the console's way to "attach" one). */
export async function readFeedFile(path: string, maxBytes: number): Promise<FeedText> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, reason: "that path is not a file" };
    if (info.size > maxBytes) return tooLarge(info.size, maxBytes);
    return { ok: true, text: await readFile(path, "utf8") };
  } catch {
    return { ok: false, reason: "I couldn't read that file" };
  }
}
