import fc from "fast-check";
import type { Reply } from "../../../src/core/command.ts";
import type { Actor, InboundEvent } from "../../../src/core/events.ts";
import { LIMITS, validateForm, validateMessage } from "../../../src/core/message.ts";

/** Things people paste, on purpose or not. */
export const NASTY = [
  '\'; DROP TABLE "Member"; --',
  "1' OR '1'='1",
  "$(rm -rf /)",
  "@everyone",
  "@here",
  "<!channel>",
  "<!here>",
  "<@123456789012345678>",
  "<@&987654321>",
  "**bold** __under__ `code` ```block``` [link](javascript:alert(1)) > quote ||spoiler||",
  "<script>alert(1)</script>",
  "\u0000\u0001\u0002\u001b[2J\u007f",
  "\r\n\r\n",
  "\u202eevil\u202c",
  "\u200b\u200b\u200b",
  "🏳️‍🌈🧑🏽‍🚀💊",
  "Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤ ̖t̝͕̳̣̻̪͞h̼͓̲̦̳̘̲e͇̣̰̦̬͎ ̢̼̻̱̘h͚͎͙̜̣̲ͅi̦̲̣̰̤v̻͍e̺̭̳̪̰-m̢iͅn̖̺̞̲̯̰d̵̼̟͙̩̼̘̳",
  "NaN",
  "-1",
  "99999999999999999999999",
  "2027-02-30",
  "25:99",
  "Mars/Olympus_Mons",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "I want to end it all",
  "sober, craving 11, mood 0",
];

export const COMMAND_WORDS = [
  "help",
  "checkin",
  "streak",
  "schedule",
  "pause",
  "resume",
  "sobriety-date",
  "celebrate",
  "away",
  "sos",
  "excuse",
  "privacy",
  "alerts",
  "oncall",
  "report",
  "setup",
  "settings",
  "staff",
  "deliveries",
  "buddy",
  "meetings",
  "discharge",
  "intake",
  "pair",
  "unpair",
  "peer-role",
  "attendance",
  "meeting-admin",
  "buddy-consent",
  "as",
  "quit",
  "",
  " ",
  "CHECKIN",
  "check-in",
  "../setup",
];

const WORDS = [
  "steady",
  "struggling",
  "used",
  "help",
  "yes",
  "no",
  "on",
  "off",
  "add",
  "remove",
  "counsellor",
  "admin",
  "show",
  "export",
  "withdraw",
  "delete",
  "retry",
  "audit",
  "digest",
  "status:used",
  "craving:10",
  "mood:1",
  "note:",
  "user:@ben",
  "@ben",
  "@kim",
  "@owner",
  "@nobody",
  "timezone:Europe/London",
  "2027-03-01",
  "2027-03-02",
  "20:00",
  "cravingThreshold",
  "regulatedMode",
  "escalation.criticalTimeoutMinutes",
  "retentionDays",
  "0",
  "10",
  "365",
];

/** Random and adversarial text: short or very long, control characters, SQL, markdown, mentions, other people's ids. */
export function hostileText(ids: string[]): fc.Arbitrary<string> {
  const token = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 1, arbitrary: fc.constantFrom(...ids) },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(token, { maxLength: 8 }).map((parts) => parts.join(" ")) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...NASTY, "a", "@everyone "), fc.integer({ min: 2_000, max: 40_000 }))
        .map(([s, n]) => s.repeat(Math.ceil(n / s.length))),
    },
  );
}

/** Button and form ids: real prefixes with other people's ids, made-up verbs, overlong and empty segments. */
export function hostileActionId(prefixes: string[], ids: string[]): fc.Arbitrary<string> {
  const verb = fc.constantFrom(
    "f",
    "c",
    "m",
    "g",
    "n",
    "d",
    "ack",
    "res",
    "sum",
    "note",
    "approve",
    "decline",
    "agree",
    "later",
    "confirm",
    "cancel",
    "delete",
    "ask-delete",
    "ping",
    "steady",
    "used",
    "help",
    "9",
    "yes",
  );
  const segment = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ids) },
    { weight: 3, arbitrary: verb },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 1, arbitrary: fc.constant("x".repeat(300)) },
  );
  const anything = fc
    .tuple(
      fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...prefixes) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }),
      fc.array(segment, { maxLength: 4 }),
    )
    .map(([prefix, rest]) => [prefix, ...rest].join(":"));
  // Shaped like the real thing (`ci:f:<checkin>:used`, `al:res:<alert>`), with someone else's id.
  const forged = fc
    .tuple(fc.constantFrom(...prefixes), verb, fc.constantFrom(...ids), fc.option(verb, { nil: undefined }))
    .map(([prefix, v, id, value]) => [prefix, v, id, ...(value ? [value] : [])].join(":"));
  return fc.oneof({ weight: 1, arbitrary: anything }, { weight: 1, arbitrary: forged });
}

export type HostileBody =
  | { kind: "command"; command: string; input: { text: string } | { options: Record<string, unknown> } }
  | { kind: "action"; actionId: string; value?: string }
  | { kind: "formSubmit"; formId: string; values: Record<string, string> }
  | { kind: "directText"; text: string };

export function hostileBody(options: { prefixes: string[]; formPrefixes: string[]; ids: string[] }): fc.Arbitrary<HostileBody> {
  const text = hostileText(options.ids);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("command" as const),
        command: fc.constantFrom(...COMMAND_WORDS),
        input: fc.record({ text }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("command" as const),
        command: fc.constantFrom(...COMMAND_WORDS),
        // Discord sends typed options: anything JSON can carry.
        input: fc.record({
          options: fc.dictionary(
            fc.constantFrom(
              "status",
              "craving",
              "mood",
              "user",
              "from",
              "to",
              "reason",
              "time",
              "timezone",
              "action",
              "role",
              "name",
              "value",
              "kind",
              "days",
              "__proto__",
            ),
            fc.jsonValue({ maxDepth: 2 }),
          ),
        }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record(
        { kind: fc.constant("action" as const), actionId: hostileActionId(options.prefixes, options.ids), value: text },
        { requiredKeys: ["kind", "actionId"] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("formSubmit" as const),
        formId: hostileActionId(options.formPrefixes, options.ids),
        values: fc.dictionary(fc.constantFrom("note", "outcome", "reason", "url", "text", "name", "constructor"), text),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("directText" as const), text }) },
  );
}

let counter = 0;

export function toEvent(actor: Actor, body: HostileBody): InboundEvent {
  return {
    ...body,
    eventId: `fuzz-${++counter}`,
    actor,
    conversation: { channelId: `dm-${actor.userId}`, isDirect: true },
  } as InboundEvent;
}

/** What is wrong with a reply, if anything: every reply must be a clear, well-formed message. */
export function replyProblem(reply: Reply, input: string): string | null {
  try {
    if (reply.kind === "form") {
      validateForm(reply.form);
      return null;
    }
    validateMessage(reply.message);
  } catch (error) {
    return `malformed: ${(error as Error).message}`;
  }
  const text = reply.message.text.trim();
  if (!text) return "empty text";
  if (reply.message.text.length > LIMITS.textLength) return `text of ${reply.message.text.length} characters`;
  if (text.startsWith("Sorry, something went wrong")) return "internal error";
  for (const leak of ["undefined", "[object Object]", "NaN", "null"]) {
    if (reply.message.text.includes(leak) && !input.includes(leak)) return `shows a programming value (${leak}): ${text.slice(0, 80)}`;
  }
  return null;
}
