import { z } from "zod";
import { isValidZone } from "../checkin/zoneNames.ts";
import { durationToMinutes, normaliseClockTime } from "./clockTime.ts";
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
import { bmltFormatsToTypes } from "./typeCodes.ts";
import { weekdayFromBmlt } from "./weekdays.ts";

/**
 * A BMLT root server's `GetSearchResults` answer (client_interface/json/?switcher=GetSearchResults):
 * an array of meetings whose values are mostly strings, weekdays 1-7 with Sunday as 1, times as
 * "HH:MM:SS" and durations as "HH:MM:SS". With `get_used_formats=1` the answer is an object
 * `{ meetings, formats }` instead, whose formats map each key to a world id.
 */

const rowSchema = z.object({
  id_bigint: looseText,
  meeting_name: looseText,
  weekday_tinyint: looseText,
  start_time: looseText,
  duration_time: looseText,
  time_zone: looseText,
  formats: looseText,
  venue_type: looseText,
  published: looseText,
  location_text: looseText,
  location_info: looseText,
  location_street: looseText,
  location_municipality: looseText,
  location_province: looseText,
  location_postal_code_1: looseText,
  location_nation: looseText,
  comments: looseText,
  virtual_meeting_link: looseText,
  virtual_meeting_additional_info: looseText,
  phone_meeting_number: looseText,
});

const formatSchema = z.object({ key_string: z.string(), world_id: z.string().optional().nullable() });

/** BMLT ids are numbers; the slug keeps them recognisable next to Meeting Guide slugs. */
function slugOf(row: unknown, index: number): string {
  const id = isRecord(row) ? row.id_bigint : undefined;
  if ((typeof id === "string" && /^\d{1,18}$/.test(id.trim())) || (typeof id === "number" && Number.isInteger(id) && id >= 0)) {
    return `bmlt-${String(id).trim()}`;
  }
  return `row ${index + 1}`;
}

// Virtual (2) and hybrid (3) meetings have a link to join, whatever their formats say.
const ONLINE_VENUES = new Set(["2", "3"]);

function normaliseRow(row: unknown, index: number, defaults: FeedDefaults, worldIds: ReadonlyMap<string, string>): RowOutcome {
  if (!isRecord(row)) return { ok: false, reason: `row ${index + 1} is not a meeting (expected an object)` };
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) return { ok: false, reason: issueReason(parsed.error) };
  const r = parsed.data;
  const slug = slugOf(row, index);
  if (slug.startsWith("row ")) return { ok: false, reason: "id_bigint is missing or not a number" };
  if (r.published === "0") return { ok: false, reason: "the meeting is not published" };
  if (r.meeting_name === undefined) return { ok: false, reason: "meeting_name is missing" };
  const weekday = r.weekday_tinyint !== undefined && /^\d$/.test(r.weekday_tinyint) ? weekdayFromBmlt(Number(r.weekday_tinyint)) : null;
  if (weekday === null) {
    return { ok: false, reason: `weekday_tinyint "${(r.weekday_tinyint ?? "").slice(0, 12)}" is not 1 (Sunday) to 7 (Saturday)` };
  }
  const startTime = r.start_time === undefined ? null : normaliseClockTime(r.start_time);
  if (startTime === null)
    return { ok: false, reason: `start_time "${(r.start_time ?? "").slice(0, 12)}" is not a 24-hour time like 19:30:00` };
  let durationMinutes = DEFAULT_DURATION_MINUTES;
  if (r.duration_time !== undefined) {
    const minutes = durationToMinutes(r.duration_time);
    if (minutes === null) return { ok: false, reason: `duration_time "${r.duration_time.slice(0, 12)}" is not a length like 01:30:00` };
    // Some servers store 00:00:00 for "not set".
    durationMinutes = minutes === 0 ? DEFAULT_DURATION_MINUTES : minutes;
  }
  if (r.time_zone !== undefined && !isValidZone(r.time_zone)) {
    return { ok: false, reason: `time_zone "${r.time_zone.slice(0, 40)}" is not a time zone name like America/New_York` };
  }
  const types = bmltFormatsToTypes(
    (r.formats ?? "")
      .split(",")
      .map((key) => key.trim())
      .filter(Boolean),
    worldIds,
  );
  if (r.venue_type && ONLINE_VENUES.has(r.venue_type) && !types.includes("ONL")) types.push("ONL");
  const address = [r.location_street, r.location_municipality, r.location_province, r.location_postal_code_1, r.location_nation]
    .filter(Boolean)
    .join(", ");
  return checkDraft({
    slug,
    name: capText(plainText(r.meeting_name), MEETING_LIMITS.name),
    fellowship: defaults.fellowship,
    weekdays: [weekday],
    startTime,
    durationMinutes,
    timezone: r.time_zone ?? defaults.timezone,
    types,
    location: optionalText(r.location_text, MEETING_LIMITS.location),
    address: optionalText(address || undefined, MEETING_LIMITS.address),
    conferenceUrl: r.virtual_meeting_link ?? null,
    conferencePhone: r.phone_meeting_number ?? null,
    notes: optionalText(
      [r.comments, r.location_info, r.virtual_meeting_additional_info].filter(Boolean).join("\n") || undefined,
      MEETING_LIMITS.notes,
      true,
    ),
    required: false,
  });
}

function worldIdsOf(formats: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(formats)) return map;
  for (const format of formats) {
    const parsed = formatSchema.safeParse(format);
    if (parsed.success && parsed.data.world_id) map.set(parsed.data.key_string, parsed.data.world_id);
  }
  return map;
}

/** Parses an already-decoded GetSearchResults answer: weekdays normalised to 0-6 from Sunday. */
export function parseBmlt(value: unknown, defaults: FeedDefaults): FeedParse {
  const rows = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.meetings) ? value.meetings : null;
  if (rows === null) {
    return {
      ok: false,
      problem: "not_array",
      detail: 'a BMLT GetSearchResults answer is a list of meetings (or { "meetings": [ … ] }), and this is neither',
    };
  }
  const tooMany = checkRowCount(rows);
  if (tooMany) return tooMany;
  const worldIds = worldIdsOf(isRecord(value) ? value.formats : undefined);
  const rejected: RejectedRow[] = [];
  const meetings = firstOfEachSlug(
    rows.map((row, index) => normaliseRow(row, index, defaults, worldIds)),
    rows.map((row, index) => slugOf(row, index)),
    rejected,
  );
  return { ok: true, format: "bmlt", meetings, rejected };
}
