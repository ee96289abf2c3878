/**
 * Reads a resident's free-text reply to the daily check-in ("sober, craving 3, mood 4").
 *
 * The parser is deliberately conservative. A wrong "used" raises a high alert about someone who did
 * nothing of the kind, so "used" needs an unambiguous, un-negated, un-hedged statement ("i used
 * today", "relapsed", "had a drink"); "haven't used" reads as steady, and "almost used" or "used my
 * coping skills" set nothing. Whatever is left unset is asked again with buttons (`missingParts`).
 *
 * The text is worked through in passes (note, labelled numbers, help, use, feelings, meeting,
 * unlabelled numbers, yes/no). Each pass blanks out what it has read, leaving a marker that also
 * ends the clause, so no phrase is read twice and a negation never reaches across a comma, an
 * "and" or an already-read phrase.
 */

import {
  FEELING_FILLERS,
  FEELING_WORDS,
  HEDGES,
  HELP,
  MEETING_ANSWERED,
  MEETING_MISSED,
  MEETING_WENT,
  MEETING_WORD,
  MEETING_YES_FIRST,
  NEGATORS,
  NO,
  USE_FILLERS,
  USE_WHEN_NEGATED,
  USED,
  YES,
} from "./answerPhrases.ts";

export type Feeling = "steady" | "struggling" | "used" | "help";

export type AnswerPart = "feeling" | "craving" | "mood" | "meetingToday";

export type ParsedAnswer = {
  feeling?: Feeling;
  craving?: number;
  mood?: number;
  meetingToday?: boolean;
  note?: string;
  /** Messages for the resident about parts that were given but could not be used. */
  problems: string[];
  /** Whether anything in the reply was recognised, including a part that came with a problem. */
  understood: boolean;
};

export const CRAVING_RANGE = { min: 0, max: 10 } as const;
export const MOOD_RANGE = { min: 1, max: 5 } as const;
export const NOTE_MAX_CHARS = 1000;

const READ = " | ";
const READ_NUMBER = " # ";
// "so" ends a clause only before a new subject, so that "not so good" stays one negated phrase.
const CLAUSE_BREAK =
  /[,.;:!?|#()\n]|\b(?:and|but|or|though|although|because|then|plus)\b|\bso\b(?=\s+(?:i|i'm|im|i've|ive|we|now|then)\b)/g;

type Word = { text: string; start: number };

// Negations and hedges sit a few words before what they qualify; looking further back only costs
// time, quadratically so on a long reply.
const LOOK_BACK_CHARS = 120;

/** The words of the clause that ends at `index` (its last few, at most), with their positions. */
function clauseBefore(text: string, index: number): Word[] {
  let from = Math.max(0, index - LOOK_BACK_CHARS);
  if (from > 0) {
    // Never start inside a word: the tail of "piano" must not read as "no".
    const space = text.indexOf(" ", from);
    from = space === -1 || space >= index ? index : space + 1;
  }
  const head = text.slice(from, index);
  let clauseStart = 0;
  for (const match of head.matchAll(CLAUSE_BREAK)) clauseStart = match.index + match[0].length;
  const words: Word[] = [];
  for (const match of head.slice(clauseStart).matchAll(/[a-z0-9']+/g)) {
    words.push({ text: match[0], start: from + clauseStart + match.index });
  }
  return words;
}

/** Where the negation of the phrase at `index` starts, or null when the phrase is not negated. */
function negationStart(text: string, index: number, fillers: ReadonlySet<string>): number | null {
  const words = clauseBefore(text, index);
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i];
    if (word === undefined) break;
    if (NEGATORS.has(word.text)) return word.start;
    if (!fillers.has(word.text)) return null;
  }
  return null;
}

function isHedged(text: string, index: number): boolean {
  return clauseBefore(text, index)
    .slice(-3)
    .some((word) => HEDGES.has(word.text));
}

type Reading = { negated: boolean; hedged: boolean };

/**
 * Finds every `pattern` match, tells `read` whether each was negated or hedged, and blanks each
 * match (with its negation) out of the text.
 */
function readAll(
  text: string,
  pattern: RegExp,
  fillers: ReadonlySet<string>,
  read: (reading: Reading, match: RegExpExecArray) => void,
  marker = READ,
): string {
  let rest = text;
  for (;;) {
    const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(rest);
    if (match === null) return rest;
    const negatedFrom = negationStart(rest, match.index, fillers);
    const start = negatedFrom ?? match.index;
    read({ negated: negatedFrom !== null, hedged: isHedged(rest, start) }, match);
    rest = `${rest.slice(0, start)}${marker}${rest.slice(match.index + match[0].length)}`;
  }
}

// --- numbers -----------------------------------------------------------------------------------

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  none: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

type Scale = { name: "Craving" | "Mood"; min: number; max: number };
const CRAVING: Scale = { name: "Craving", ...CRAVING_RANGE };
const MOOD: Scale = { name: "Mood", ...MOOD_RANGE };

type NumberReading = { value: number } | { problem: string };

/** Checks a number a resident wrote against its scale; `written` is echoed back as they wrote it. */
function readNumber(scale: Scale, raw: string, outOf: string | undefined): NumberReading {
  const written = outOf === undefined ? raw : `${raw}/${outOf}`;
  const range = `${scale.name} goes from ${scale.min} to ${scale.max}`;
  if (outOf !== undefined && Number(outOf) !== scale.max) return { problem: `${range} — you wrote ${written}.` };
  const value = NUMBER_WORDS[raw] ?? Number(raw);
  if (!Number.isInteger(value)) {
    return { problem: `${scale.name} is a whole number from ${scale.min} to ${scale.max} — you wrote ${written}.` };
  }
  if (value < scale.min || value > scale.max) return { problem: `${range} — you wrote ${written}.` };
  return { value };
}

const VALUE = String.raw`(-?\d+(?:\.\d+)?|zero|none|one|two|three|four|five|six|seven|eight|nine|ten)\b`;
const OUT_OF = String.raw`(?:\s*(?:\/|out\s+of|of)\s*(\d+))?`;
const LINK = String.raw`\s*(?:level\s*|score\s*|rating\s*)?(?:is\s+|was\s+|at\s+|of\s+|[=:]\s*|-\s+)?`;
const CRAVING_LABELLED = new RegExp(String.raw`\b(?:cravings?|crave|urges?)${LINK}${VALUE}${OUT_OF}`);
const MOOD_LABELLED = new RegExp(String.raw`\bmood${LINK}${VALUE}${OUT_OF}`);
const NO_CRAVING = /\b(?:no|zero)\s+(?:cravings?|urges?)\b/;

type Slot = { scale: Scale; readings: NumberReading[] };

/** One value for a part given once, or twice the same; a problem when the answers disagree. */
function settle(slot: Slot, problems: string[]): number | undefined {
  const values = new Set<number>();
  for (const reading of slot.readings) {
    if ("problem" in reading) problems.push(reading.problem);
    else values.add(reading.value);
  }
  if (values.size > 1) {
    const listed = [...values].join(" and ");
    problems.push(`You gave more than one ${slot.scale.name.toLowerCase()} number (${listed}) — which one is it?`);
    return undefined;
  }
  return [...values][0];
}

// --- the parser --------------------------------------------------------------------------------

function splitNote(reply: string, problems: string[]): { rest: string; note?: string } {
  const marker = /\bnotes?\s*[:\-–—]\s*/i.exec(reply);
  if (marker === null) return { rest: reply };
  const note = reply.slice(marker.index + marker[0].length).trim();
  const rest = reply.slice(0, marker.index);
  if (note === "") return { rest };
  const length = Array.from(note).length;
  if (length > NOTE_MAX_CHARS) {
    problems.push(
      `Notes can be up to ${NOTE_MAX_CHARS.toLocaleString("en-GB")} characters — yours is ${length.toLocaleString("en-GB")}. Could you shorten it?`,
    );
    return { rest };
  }
  return { rest, note };
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[–—]/g, " - ")
    .replace(/\s+/g, " ");
}

const FEELING_PRIORITY: readonly Feeling[] = ["help", "used", "struggling", "steady"];

export function parseAnswer(reply: string): ParsedAnswer {
  const problems: string[] = [];
  const { rest, note } = splitNote(reply, problems);
  let text = normalise(rest);
  let recognised = note !== undefined || problems.length > 0;

  const craving: Slot = { scale: CRAVING, readings: [] };
  const mood: Slot = { scale: MOOD, readings: [] };
  const labelled = (slot: Slot) => (_reading: Reading, match: RegExpExecArray) => {
    slot.readings.push(readNumber(slot.scale, match[1] ?? "", match[2]));
  };
  text = readAll(text, CRAVING_LABELLED, new Set(), labelled(craving), READ_NUMBER);
  text = readAll(text, MOOD_LABELLED, new Set(), labelled(mood), READ_NUMBER);
  text = readAll(text, NO_CRAVING, new Set(), () => craving.readings.push({ value: 0 }), READ_NUMBER);

  const feelings = new Set<Feeling>();
  for (const pattern of HELP) {
    // "I think I need help" is still a request for help; only a negation turns it away.
    text = readAll(text, pattern, USE_FILLERS, (reading) => {
      if (!reading.negated) feelings.add("help");
    });
  }
  for (const pattern of USED) {
    text = readAll(text, pattern, USE_FILLERS, (reading) => {
      recognised = true;
      if (reading.negated) feelings.add("steady");
      else if (!reading.hedged) feelings.add("used");
    });
  }
  text = readAll(text, USE_WHEN_NEGATED, USE_FILLERS, (reading) => {
    if (reading.negated) feelings.add("steady");
  });
  for (const word of FEELING_WORDS) {
    text = readAll(text, word.pattern, FEELING_FILLERS, (reading) => {
      const feeling = reading.negated ? word.negated : word.feeling;
      if (feeling !== null) feelings.add(feeling);
    });
  }
  const feeling = FEELING_PRIORITY.find((candidate) => feelings.has(candidate));

  const meetings = new Set<boolean>();
  text = readAll(text, MEETING_MISSED, new Set(), () => meetings.add(false));
  text = readAll(text, MEETING_ANSWERED, new Set(), (_reading, match) => meetings.add(!NO.has(match[1] ?? "")));
  text = readAll(text, MEETING_YES_FIRST, new Set(), () => meetings.add(true));
  for (const pattern of [MEETING_WENT, MEETING_WORD]) {
    text = readAll(text, pattern, USE_FILLERS, (reading) => {
      if (reading.negated) meetings.add(false);
      else if (!reading.hedged) meetings.add(true);
    });
  }

  const answers = readUnlabelled(text, craving, mood, problems);
  for (const answer of answers) meetings.add(answer);

  let meetingToday: boolean | undefined;
  if (meetings.size > 1) {
    problems.push("I couldn't tell whether you went to a meeting today — I read both yes and no.");
  } else {
    meetingToday = [...meetings][0];
  }

  const cravingValue = settle(craving, problems);
  const moodValue = settle(mood, problems);

  const answer: ParsedAnswer = { problems, understood: false };
  if (feeling !== undefined) answer.feeling = feeling;
  if (cravingValue !== undefined) answer.craving = cravingValue;
  if (moodValue !== undefined) answer.mood = moodValue;
  if (meetingToday !== undefined) answer.meetingToday = meetingToday;
  if (note !== undefined) answer.note = note;
  answer.understood =
    recognised || feelings.size > 0 || meetings.size > 0 || craving.readings.length > 0 || mood.readings.length > 0 || problems.length > 0;
  return answer;
}

const POSITIONAL_NUMBER = /^(-?\d+(?:\.\d+)?)(?:\/(\d+))?$/;

/**
 * Numbers and yes/no written without labels, as in "ok 2 4 yes": numbers fill craving then mood
 * (the order the prompt asks), and a yes or no straight after a number answers the meeting
 * question. A number next to other words ("slept 8 hours", "day 30") is not an answer.
 */
function readUnlabelled(text: string, craving: Slot, mood: Slot, problems: string[]): boolean[] {
  // Clock times ("10:30", "7pm") are words here, not two numbers.
  const tokens = text.match(/\d{1,2}:\d{2}(?:[ap]m)?|-?\d+(?:\.\d+)?(?:\/\d+)?(?![a-z0-9'])|[a-z0-9'/-]+|[,;:!?|#.&]/g) ?? [];
  const isSeparator = (token: string | undefined) => token === undefined || token === "and" || token === "&" || /^[,;:!?|#.]$/.test(token);
  const isNumber = (token: string | undefined) => token !== undefined && POSITIONAL_NUMBER.test(token);
  const isYesNo = (token: string | undefined) => token !== undefined && (YES.has(token) || NO.has(token));
  const standsAlone = (token: string | undefined) => isSeparator(token) || isNumber(token) || isYesNo(token);

  const numbers: Array<{ raw: string; outOf: string | undefined }> = [];
  const answers: boolean[] = [];
  let previousWord: string | undefined;
  tokens.forEach((token, index) => {
    const match = POSITIONAL_NUMBER.exec(token);
    if (match !== null && standsAlone(tokens[index - 1]) && standsAlone(tokens[index + 1])) {
      numbers.push({ raw: match[1] ?? token, outOf: match[2] });
    } else if (isYesNo(token) && (isNumber(previousWord) || previousWord === "#")) {
      answers.push(YES.has(token));
    }
    if (token === "#" || !isSeparator(token)) previousWord = token;
  });

  const free = [craving, mood].filter((slot) => slot.readings.length === 0);
  const placed: Array<{ slot: Slot; reading: NumberReading }> = [];
  let unplaced = 0;
  for (const { raw, outOf } of numbers) {
    const byScale = outOf === "10" ? craving : outOf === "5" ? mood : undefined;
    const slot = byScale !== undefined && free.includes(byScale) ? byScale : outOf === undefined ? free[0] : undefined;
    if (slot === undefined) {
      unplaced += 1;
      continue;
    }
    free.splice(free.indexOf(slot), 1);
    placed.push({ slot, reading: readNumber(slot.scale, raw, outOf) });
  }
  if (unplaced > 0) {
    const all = numbers.map(({ raw, outOf }) => (outOf === undefined ? raw : `${raw}/${outOf}`));
    const shown = all.length > 5 ? `${all.slice(0, 5).join(", ")}, …` : all.join(", ");
    problems.push(`I wasn't sure which numbers were which (${shown}). Could you label them, like "craving 3, mood 4"?`);
  } else {
    for (const { slot, reading } of placed) slot.readings.push(reading);
  }
  return answers;
}

/** The parts of the check-in still to ask about. */
export function missingParts(answer: Pick<ParsedAnswer, AnswerPart>): AnswerPart[] {
  const parts: AnswerPart[] = ["feeling", "craving", "mood", "meetingToday"];
  return parts.filter((part) => answer[part] === undefined);
}
