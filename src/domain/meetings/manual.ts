import { normaliseClockTime } from "./clockTime.ts";
import { type Fellowship, MEETING_LIMITS, type MeetingDraft, plainText } from "./meeting.ts";
import { parseWeekdays } from "./weekdays.ts";

/**
 * A meeting typed by a counsellor (`/meeting-admin add` and `edit`): the same fields as a feed
 * row, as text, turned into a draft. Unset fields keep what the meeting had.
 */
export interface ManualFields {
  name?: string;
  days?: string;
  time?: string;
  duration?: number;
  fellowship?: Fellowship;
  required?: boolean;
  place?: string;
  address?: string;
  link?: string;
  phone?: string;
  timezone?: string;
  types?: string;
  notes?: string;
}

/** A field given as "-" or "none" clears it. */
const CLEAR = new Set(["-", "none", "clear"]);

function optionalField(value: string | undefined, previous: string | null, multiline = false): string | null {
  if (value === undefined) return previous;
  if (CLEAR.has(value.trim().toLowerCase())) return null;
  return plainText(value, multiline) || null;
}

export function applyManualFields(
  base: MeetingDraft,
  fields: ManualFields,
): { ok: true; draft: MeetingDraft } | { ok: false; reason: string } {
  const draft: MeetingDraft = { ...base, types: [...base.types], weekdays: [...base.weekdays] };
  if (fields.name !== undefined) draft.name = plainText(fields.name);
  if (fields.days !== undefined) {
    const days = parseWeekdays(fields.days);
    if (!days.ok) return { ok: false, reason: `"${days.unknown}" is not a day; use names like mon,thu or words like weekdays or daily` };
    draft.weekdays = days.weekdays;
  }
  if (fields.time !== undefined) {
    const time = normaliseClockTime(fields.time);
    if (time === null) return { ok: false, reason: "time should be a 24-hour time like 19:30" };
    draft.startTime = time;
  }
  if (fields.duration !== undefined) draft.durationMinutes = fields.duration;
  if (fields.fellowship !== undefined) draft.fellowship = fields.fellowship;
  if (fields.required !== undefined) draft.required = fields.required;
  if (fields.timezone !== undefined) draft.timezone = fields.timezone.trim();
  if (fields.types !== undefined) {
    draft.types = CLEAR.has(fields.types.trim().toLowerCase())
      ? []
      : [
          ...new Set(
            fields.types
              .split(/[\s,]+/)
              .map((code) => code.trim())
              .filter(Boolean),
          ),
        ].slice(0, MEETING_LIMITS.types + 1);
  }
  draft.location = optionalField(fields.place, draft.location);
  draft.address = optionalField(fields.address, draft.address);
  draft.conferenceUrl = optionalField(fields.link, draft.conferenceUrl);
  draft.conferencePhone = optionalField(fields.phone, draft.conferencePhone);
  draft.notes = optionalField(fields.notes, draft.notes, true);
  return { ok: true, draft };
}

/** What `add` starts from before the counsellor's fields are applied; name, days and time must then be given. */
export function blankDraft(slug: string, timezone: string): MeetingDraft {
  return {
    slug,
    name: "",
    fellowship: "in_house",
    weekdays: [],
    startTime: "",
    durationMinutes: 60,
    timezone,
    types: [],
    location: null,
    address: null,
    conferenceUrl: null,
    conferencePhone: null,
    notes: null,
    required: false,
  };
}
