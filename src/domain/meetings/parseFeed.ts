import { parseBmlt } from "./bmlt.ts";
import { type FeedFormat, type FeedParse, isRecord, readFeedJson } from "./feed.ts";
import type { Fellowship } from "./meeting.ts";
import { parseMeetingGuide } from "./meetingGuide.ts";

/** Meeting Guide comes from AA's app; BMLT servers are run by NA service bodies. */
const USUAL_FELLOWSHIP: Readonly<Record<FeedFormat, Fellowship>> = { meeting_guide: "AA", bmlt: "NA" };

const BMLT_KEYS = ["weekday_tinyint", "id_bigint", "meeting_name"];

/** Which format a decoded feed is in, from the keys of its first meeting. */
export function detectFormat(value: unknown): FeedFormat {
  if (isRecord(value) && Array.isArray(value.meetings)) return "bmlt";
  const first = Array.isArray(value) ? value.find(isRecord) : undefined;
  return first && BMLT_KEYS.some((key) => key in first) ? "bmlt" : "meeting_guide";
}

export interface ParseFeedOptions {
  format: FeedFormat | "auto";
  /** For rows that name no zone: the house's. */
  timezone: string;
  /** Defaults to AA for Meeting Guide and NA for BMLT. */
  fellowship?: Fellowship;
}

/** A feed's text to meetings: refused whole when it is too large, not JSON or not a list; otherwise row by row. */
export function parseFeed(text: string, options: ParseFeedOptions): FeedParse {
  const read = readFeedJson(text);
  if (!read.ok) return read;
  const format = options.format === "auto" ? detectFormat(read.value) : options.format;
  const defaults = { timezone: options.timezone, fellowship: options.fellowship ?? USUAL_FELLOWSHIP[format] };
  return format === "bmlt" ? parseBmlt(read.value, defaults) : parseMeetingGuide(read.value, defaults);
}
