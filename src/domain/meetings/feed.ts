import { z } from "zod";
import { capText, type Fellowship, type MeetingDraft, meetingDraftSchema, plainText } from "./meeting.ts";

/**
 * What every feed parser shares: the outcome of reading a whole feed, a row that was refused
 * and why, and the caps that keep a runaway feed from filling the database.
 */

export const FEED_FORMATS = ["meeting_guide", "bmlt"] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const FEED_FORMAT_LABELS: Readonly<Record<FeedFormat, string>> = {
  meeting_guide: "Meeting Guide",
  bmlt: "BMLT",
};

/** A house follows tens of meetings; a feed bigger than this is a whole region and wants filtering first. */
export const MAX_FEED_BYTES = 2 * 1024 * 1024;
export const MAX_FEED_ROWS = 1000;

export interface RejectedRow {
  /** The row's slug, or "row N" when it has none. */
  slug: string;
  reason: string;
}

export interface FeedDefaults {
  /** For rows that name no time zone (the house's zone). */
  timezone: string;
  fellowship: Fellowship;
}

export type FeedProblem = "too_large" | "not_json" | "not_array" | "too_many_rows" | "empty";

export type FeedParse =
  | { ok: true; format: FeedFormat; meetings: MeetingDraft[]; rejected: RejectedRow[] }
  | { ok: false; problem: FeedProblem; detail: string };

export type RowOutcome = { ok: true; draft: MeetingDraft } | { ok: false; reason: string };

/** Runs the final check every stored meeting passes, turning the first issue into a reason. */
export function checkDraft(draft: MeetingDraft): RowOutcome {
  const parsed = meetingDraftSchema.safeParse(draft);
  if (parsed.success) return { ok: true, draft: parsed.data };
  return { ok: false, reason: parsed.error.issues[0]?.message ?? "the meeting is not valid" };
}

/** A zod failure on a raw row, as a short reason naming the field. */
export function issueReason(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "the row is not valid";
  const field = issue.path.map(String).join(".");
  return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
}

/** Drops rows whose slug came earlier in the same feed: the first one wins, the rest are reported. */
export function firstOfEachSlug(rows: RowOutcome[], slugs: string[], rejected: RejectedRow[]): MeetingDraft[] {
  const seen = new Set<string>();
  const meetings: MeetingDraft[] = [];
  rows.forEach((row, index) => {
    const slug = slugs[index] ?? `row ${index + 1}`;
    if (!row.ok) {
      rejected.push({ slug, reason: row.reason });
      return;
    }
    if (seen.has(row.draft.slug)) {
      rejected.push({ slug, reason: "the same slug appears earlier in the feed" });
      return;
    }
    seen.add(row.draft.slug);
    meetings.push(row.draft);
  });
  return meetings;
}

/** Reads the text of a feed, refusing what is too big or is not JSON, before any row is looked at. */
export function readFeedJson(text: string): { ok: true; value: unknown } | { ok: false; problem: FeedProblem; detail: string } {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_FEED_BYTES) {
    return { ok: false, problem: "too_large", detail: `the feed is ${megabytes(bytes)}; the most I take is ${megabytes(MAX_FEED_BYTES)}` };
  }
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return { ok: false, problem: "not_json", detail: "the feed is empty" };
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch {
    const start = trimmed.startsWith("<") ? " (it looks like a web page, not a feed)" : "";
    return { ok: false, problem: "not_json", detail: `the feed is not JSON${start}` };
  }
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Refuses a list of rows that is empty or longer than the cap. */
export function checkRowCount(rows: unknown[]): { ok: false; problem: FeedProblem; detail: string } | null {
  if (rows.length === 0) return { ok: false, problem: "empty", detail: "the feed has no meetings in it" };
  if (rows.length > MAX_FEED_ROWS) {
    return {
      ok: false,
      problem: "too_many_rows",
      detail: `the feed lists ${rows.length} meetings; the most I take at once is ${MAX_FEED_ROWS}, so use a feed filtered to your area`,
    };
  }
  return null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A text field as feeds really write it: hand-written feeds and spreadsheet exports put numbers
 * where strings belong and empty strings or null where a field does not apply; all of them are
 * read as the field's plain meaning, and blank means absent.
 */
export const looseText = z
  .union([z.string(), z.number(), z.null()], { error: "should be text" })
  .optional()
  .transform((value) => (value === null || value === undefined ? undefined : String(value).trim() || undefined));

/** An optional field made plain (no markup or control characters) and capped; blank becomes null. */
export function optionalText(value: string | undefined, max: number, multiline = false): string | null {
  if (value === undefined) return null;
  const text = plainText(value, multiline);
  return text ? capText(text, max) : null;
}
