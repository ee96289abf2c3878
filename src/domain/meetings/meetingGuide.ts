import { z } from "zod";
import { isValidZone } from "../checkin/zoneNames.ts";
import { minutesBetweenClockTimes, normaliseClockTime } from "./clockTime.ts";
import {
  checkDraft,
  checkRowCount,
  type FeedDefaults,
  type FeedParse,
  firstOfEachSlug,
  isRecord,
  issueReason,
  looseText,
  optionalText,
  type RejectedRow,
  type RowOutcome,
} from "./feed.ts";
import { capText, DEFAULT_DURATION_MINUTES, MEETING_LIMITS, plainText } from "./meeting.ts";

/**
 * The Meeting Guide JSON feed (the Meeting Guide app's format, also served by the 12 Step
 * Meeting List plugin): an array of meetings, each with `name` and `slug`, and for weekly
 * meetings `day` (0-6 from Sunday, or an array of them) and `time` "HH:MM".
 */

const dayValue = z.union([z.number(), z.string()], { error: "day should be a number from 0 (Sunday) to 6 (Saturday)" });

const rowSchema = z.object({
  name: z.union([z.string(), z.number()], { error: "name is missing" }).transform(String),
  day: z.union([dayValue, z.array(dayValue), z.null()], { error: "day should be 0-6 or a list of them" }).optional(),
  time: looseText,
  end_time: looseText,
  timezone: looseText,
  types: z
    .union([z.array(z.union([z.string(), z.number()])), z.string(), z.null()], { error: "types should be a list of codes" })
    .optional(),
  location: looseText,
  location_notes: looseText,
  notes: looseText,
  formatted_address: looseText,
  address: looseText,
  city: looseText,
  state: looseText,
  postal_code: looseText,
  country: looseText,
  conference_url: looseText,
  conference_url_notes: looseText,
  conference_phone: looseText,
  conference_phone_notes: looseText,
});

function slugOf(row: unknown, index: number): string {
  const raw = isRecord(row) ? row.slug : undefined;
  if (typeof raw === "string" && raw.trim()) return raw.trim().slice(0, MEETING_LIMITS.slug + 1);
  if (typeof raw === "number" && Number.isFinite(raw)) return String(raw);
  return `row ${index + 1}`;
}

function readDays(raw: z.infer<typeof rowSchema>["day"]): { ok: true; days: number[] } | { ok: false; reason: string } {
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
    return { ok: false, reason: "no day: meetings by appointment have no time to remind anyone of" };
  }
  const days: number[] = [];
  for (const value of Array.isArray(raw) ? raw : [raw]) {
    const day = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(day) || day < 0 || day > 6) {
      return { ok: false, reason: `day ${JSON.stringify(value).slice(0, 12)} is not 0 (Sunday) to 6 (Saturday)` };
    }
    if (!days.includes(day)) days.push(day);
  }
  return { ok: true, days: days.sort((a, b) => a - b) };
}

function readTypes(raw: z.infer<typeof rowSchema>["types"]): string[] {
  if (raw === undefined || raw === null) return [];
  const list = typeof raw === "string" ? raw.split(",") : raw.map(String);
  const codes = list.map((code) => code.trim()).filter(Boolean);
  return [...new Set(codes)].slice(0, MEETING_LIMITS.types);
}

const joinText = (parts: Array<string | undefined>, separator: string) => parts.filter((p): p is string => Boolean(p)).join(separator);

function normaliseRow(row: unknown, index: number, defaults: FeedDefaults): RowOutcome {
  if (!isRecord(row)) return { ok: false, reason: `row ${index + 1} is not a meeting (expected an object)` };
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) return { ok: false, reason: issueReason(parsed.error) };
  const r = parsed.data;
  const slug = slugOf(row, index);
  if (slug.startsWith("row ")) return { ok: false, reason: "slug is missing" };
  const days = readDays(r.day);
  if (!days.ok) return days;
  if (r.time === undefined) return { ok: false, reason: "time is missing" };
  const startTime = normaliseClockTime(r.time);
  if (startTime === null) return { ok: false, reason: `time "${r.time.slice(0, 12)}" is not a 24-hour time like 19:30` };
  let durationMinutes = DEFAULT_DURATION_MINUTES;
  if (r.end_time !== undefined) {
    const minutes = minutesBetweenClockTimes(startTime, r.end_time);
    if (minutes === null) return { ok: false, reason: `end_time "${r.end_time.slice(0, 12)}" is not a 24-hour time like 20:30` };
    durationMinutes = minutes;
  }
  if (r.timezone !== undefined && !isValidZone(r.timezone)) {
    return { ok: false, reason: `timezone "${r.timezone.slice(0, 40)}" is not a time zone name like America/New_York` };
  }
  const address = r.formatted_address ?? (joinText([r.address, r.city, r.state, r.postal_code, r.country], ", ") || undefined);
  return checkDraft({
    slug,
    name: capText(plainText(r.name), MEETING_LIMITS.name),
    fellowship: defaults.fellowship,
    weekdays: days.days,
    startTime,
    durationMinutes,
    timezone: r.timezone ?? defaults.timezone,
    types: readTypes(r.types),
    location: optionalText(r.location, MEETING_LIMITS.location),
    address: optionalText(address, MEETING_LIMITS.address),
    conferenceUrl: r.conference_url ?? null,
    conferencePhone: r.conference_phone ?? null,
    notes: optionalText(
      joinText([r.notes, r.location_notes, r.conference_url_notes, r.conference_phone_notes], "\n"),
      MEETING_LIMITS.notes,
      true,
    ),
    required: false,
  });
}

/** Parses an already-decoded Meeting Guide feed: good rows normalised, bad rows reported by slug. */
export function parseMeetingGuide(value: unknown, defaults: FeedDefaults): FeedParse {
  if (!Array.isArray(value)) {
    return { ok: false, problem: "not_array", detail: "a Meeting Guide feed is a list of meetings ([ … ]), and this is not a list" };
  }
  const tooMany = checkRowCount(value);
  if (tooMany) return tooMany;
  const rejected: RejectedRow[] = [];
  const outcomes = value.map((row, index) => normaliseRow(row, index, defaults));
  const meetings = firstOfEachSlug(
    outcomes,
    value.map((row, index) => slugOf(row, index)),
    rejected,
  );
  return { ok: true, format: "meeting_guide", meetings, rejected };
}
