import { z } from "zod";
import { isValidZone } from "../checkin/zoneNames.ts";

/**
 * A meeting as the bot stores it, whichever way it arrived (typed by a counsellor, a Meeting
 * Guide feed, a BMLT server). Every way in ends in `meetingDraftSchema`, so the caps and checks
 * are the same for all of them, and nothing unchecked reaches a reminder.
 */

export const FELLOWSHIPS = ["AA", "NA", "CA", "SMART", "in_house", "other"] as const;
export type Fellowship = (typeof FELLOWSHIPS)[number];

export const FELLOWSHIP_LABELS: Readonly<Record<Fellowship, string>> = {
  AA: "AA",
  NA: "NA",
  CA: "CA",
  SMART: "SMART Recovery",
  in_house: "In-house group",
  other: "Other",
};

export const MEETING_LIMITS = {
  slug: 100,
  name: 200,
  location: 200,
  address: 300,
  notes: 1000,
  url: 500,
  phone: 60,
  types: 20,
  typeCode: 12,
  minDuration: 5,
  maxDuration: 12 * 60,
} as const;

export const DEFAULT_DURATION_MINUTES = 60;

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;

/** Control characters out, runs of spaces collapsed; line breaks kept only where `multiline`. */
export function plainText(value: string, multiline = false): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const cleaned = value.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, " ");
  const lines = cleaned.split("\n").map((line) => line.replace(/\s+/g, " ").trim());
  return (multiline ? lines.filter(Boolean).join("\n") : lines.filter(Boolean).join(" ")).trim();
}

/** Free text from a feed is shortened rather than refused: a long note should not cost a meeting. */
export function capText(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}

/** A slug made from a name: "Monday Night Big Book" → "monday-night-big-book". */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "meeting";
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

const optionalText = (label: string, max: number) =>
  z
    .string()
    .max(max, { error: `${label} is longer than ${max} characters` })
    .nullable();

export const meetingDraftSchema = z.object({
  slug: z
    .string()
    .min(1, { error: "slug is empty" })
    .max(MEETING_LIMITS.slug, { error: `slug is longer than ${MEETING_LIMITS.slug} characters` })
    .regex(SLUG, { error: "slug may only hold letters, digits, dots, dashes and underscores" }),
  name: z
    .string()
    .min(1, { error: "name is empty" })
    .max(MEETING_LIMITS.name, { error: `name is longer than ${MEETING_LIMITS.name} characters` }),
  fellowship: z.enum(FELLOWSHIPS),
  weekdays: z
    .array(z.number().int().min(0).max(6), { error: "weekdays must be 0 (Sunday) to 6 (Saturday)" })
    .min(1, { error: "no weekday given" })
    .max(7),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "start time is not a 24-hour time like 19:30" }),
  durationMinutes: z
    .number()
    .int()
    .min(MEETING_LIMITS.minDuration, { error: `a meeting lasts at least ${MEETING_LIMITS.minDuration} minutes` })
    .max(MEETING_LIMITS.maxDuration, { error: "a meeting lasts at most 12 hours" }),
  timezone: z.string().refine(isValidZone, { error: "timezone is not a time zone name like Europe/London" }),
  types: z
    .array(
      z
        .string()
        .min(1)
        .max(MEETING_LIMITS.typeCode)
        .regex(/^[A-Za-z0-9-]+$/),
      { error: "types must be short codes like O, C or SP" },
    )
    .max(MEETING_LIMITS.types, { error: `at most ${MEETING_LIMITS.types} types` }),
  location: optionalText("location", MEETING_LIMITS.location),
  address: optionalText("address", MEETING_LIMITS.address),
  conferenceUrl: z
    .string()
    .max(MEETING_LIMITS.url, { error: `conference link is longer than ${MEETING_LIMITS.url} characters` })
    .refine(isWebAddress, { error: "conference link is not a web address (https://…)" })
    .nullable(),
  conferencePhone: z
    .string()
    .max(MEETING_LIMITS.phone, { error: "conference phone is too long" })
    .regex(/^[0-9+][0-9 +,*#().-]*$/, { error: "conference phone should be digits, with + , * # allowed" })
    .nullable(),
  notes: optionalText("notes", MEETING_LIMITS.notes),
  required: z.boolean(),
});

export type MeetingDraft = z.infer<typeof meetingDraftSchema>;

/** The fields schedule math needs. */
export interface WeeklySchedule {
  weekdays: readonly number[];
  startTime: string;
  durationMinutes: number;
  timezone: string;
}
