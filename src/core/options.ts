import { DateTime, IANAZone } from "luxon";
import { z } from "zod";

/**
 * Command options are one zod object per command. Each field is built with these helpers, which
 * attach an `OptionSpec` as zod metadata; Discord option JSON, Slack argument parsing and the
 * help text are all derived from it. Values arrive typed (Discord) or as strings (Slack,
 * console), so every helper accepts both.
 */

export type OptionKind = "text" | "integer" | "boolean" | "user" | "choice" | "date" | "time" | "timezone";

export interface OptionSpec {
  kind: OptionKind;
  description: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** The last text option may take the rest of the line (Slack, console). */
  rest?: boolean;
}

export interface OptionInfo extends OptionSpec {
  name: string;
  required: boolean;
}

function withSpec<T extends z.ZodType>(schema: T, spec: OptionSpec): T {
  return schema.meta({ option: spec }) as T;
}

const trimmed = (value: unknown) => (typeof value === "string" ? value.trim() : value);

/** Strips control characters (keeping newlines) so stored text is printable everywhere. */
export function cleanText(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return value.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, "").trim();
}

export const opt = {
  text(description: string, maxLength = 200, rest = false) {
    return withSpec(
      z.preprocess(
        (v) => (typeof v === "string" ? cleanText(v) : v),
        z
          .string({ error: "should be text" })
          .min(1, { error: "should not be empty" })
          .max(maxLength, { error: `is too long: keep it under ${maxLength} characters` }),
      ),
      { kind: "text", description, maxLength, rest },
    );
  },
  integer(description: string, min: number, max: number) {
    return withSpec(
      z.preprocess(
        (v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
        z
          .number({ error: `should be a whole number from ${min} to ${max}` })
          .int({ error: `should be a whole number from ${min} to ${max}` })
          .min(min, { error: `should be ${min} or more` })
          .max(max, { error: `should be ${max} or less` }),
      ),
      { kind: "integer", description, min, max },
    );
  },
  boolean(description: string) {
    return withSpec(
      z.preprocess(
        (v) => {
          if (typeof v !== "string") return v;
          const word = v.trim().toLowerCase();
          if (["yes", "y", "true", "on", "1"].includes(word)) return true;
          if (["no", "n", "false", "off", "0"].includes(word)) return false;
          return v;
        },
        z.boolean({ error: "should be yes or no" }),
      ),
      { kind: "boolean", description },
    );
  },
  /** A member of the chat: Discord user id, Slack `<@U123>`, console `@name`; normalised to the platform user id. */
  user(description: string) {
    return withSpec(
      z.preprocess(
        (v) => (typeof v === "string" ? normaliseUserReference(v) : v),
        z.string({ error: "should mention a person, like @name" }).min(1, { error: "should mention a person, like @name" }),
      ),
      { kind: "user", description },
    );
  },
  choice<const T extends readonly [string, ...string[]]>(description: string, choices: T) {
    return withSpec(
      z.preprocess(
        // Case-insensitive, returning the choice as declared.
        (v) => (typeof v === "string" ? (choices.find((c) => c.toLowerCase() === v.trim().toLowerCase()) ?? v.trim()) : v),
        z.enum(choices, { error: `should be one of: ${choices.join(", ")}` }),
      ),
      { kind: "choice", description, choices },
    );
  },
  /** A calendar date, YYYY-MM-DD. */
  date(description: string) {
    return withSpec(
      z.preprocess(
        trimmed,
        z
          .string({ error: "should be a date like 2027-03-28" })
          .refine((s) => DateTime.fromISO(s).isValid && /^\d{4}-\d{2}-\d{2}$/.test(s), {
            error: "should be a date like 2027-03-28",
          }),
      ),
      { kind: "date", description },
    );
  },
  /** A local time of day, HH:MM (24-hour). */
  time(description: string) {
    return withSpec(
      z.preprocess(
        (v) => (typeof v === "string" && /^\d:\d\d$/.test(v.trim()) ? `0${v.trim()}` : trimmed(v)),
        z.string({ error: "should be a time like 20:30" }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
          error: "should be a 24-hour time like 20:30",
        }),
      ),
      { kind: "time", description },
    );
  },
  timezone(description: string) {
    return withSpec(
      z.preprocess(
        trimmed,
        z.string({ error: "should be a time zone like Europe/London" }).refine((s) => IANAZone.isValidZone(s) && s.includes("/"), {
          error: "should be a time zone like Europe/London or America/New_York",
        }),
      ),
      { kind: "timezone", description },
    );
  },
};

/** `<@U123|sam>` → U123, `<@123>` / `<@!123>` → 123, `@sam` → sam. */
export function normaliseUserReference(raw: string): string {
  const value = raw.trim();
  const mention = /^<@!?([A-Za-z0-9_.-]+)(\|[^>]*)?>$/.exec(value);
  if (mention?.[1]) return mention[1];
  // A bare @name only comes from the console, whose user ids are lower-case names.
  return value.startsWith("@") ? value.slice(1).toLowerCase() : value;
}

function specOf(schema: z.ZodType): OptionSpec | undefined {
  const meta = z.globalRegistry.get(schema) as { option?: OptionSpec } | undefined;
  return meta?.option;
}

/** The options of a command in declaration order, for help text and platform registration. */
export function describeOptions(schema: z.ZodObject): OptionInfo[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const optional = field instanceof z.ZodOptional;
    const inner = (optional ? (field as z.ZodOptional).unwrap() : field) as z.ZodType;
    const spec = specOf(inner);
    if (!spec) throw new Error(`option ${name} must be built with opt.*`);
    return { name, required: !optional, ...spec };
  });
}
