/**
 * The words and phrases a check-in reply is read with, and what each means. The order the parser
 * applies them in, and what a negation or hedge does to them, is in parseAnswer.ts.
 */

import type { Feeling } from "./parseAnswer.ts";

function words(list: string): ReadonlySet<string> {
  return new Set(list.split(" "));
}

function oneOf(alternatives: readonly string[]): string {
  return `(?:${alternatives.join("|")})`;
}

export const NEGATORS = words(
  "not no never without nor zero don't dont didn't didnt haven't havent hasn't hasnt hadn't hadnt " +
    "wasn't wasnt isn't isnt ain't aint won't wont",
);

// Words that may sit between a negator and what it negates: "haven't even had a drink".
export const USE_FILLERS = words("i i've ive have has had been really even any a an yet at all once actually go do");
export const FEELING_FILLERS = words(
  "i i'm im am is it it's its was been feeling feel felt doing so too that very really all quite super a an the day today",
);

// A use word after one of these is talk about use, not a report of it: "almost used", "scared I'll relapse".
export const HEDGES = words(
  "almost nearly close want wanted wanting wanna tempted thinking thought think urge urges feel felt feeling like " +
    "might may could would will i'll gonna going scared afraid worried worry fear craving cravings crave " +
    "dream dreamt dreamed nightmare if about avoid avoided resist resisted to should whether",
);

export const HELP = [
  /\bneed\s+(?:some\s+|urgent\s+|real\s+)?help\b(?!\s+with\b)/,
  /\bhelp\s+me\b/,
  /\bplease\s+help\b/,
  /\bhelp\s+please\b/,
  /\bsos\b/,
  /\bnot\s+safe\b/,
  /\bunsafe\b/,
  /^\W*help\W*$/,
];

const NON_ALCOHOLIC =
  "(?:water|coffee|tea|juice|soda|pop|coke|cola|milk|smoothies?|kombucha|lemonade|cocoa|decaf|seltzer|mocktails?|non[- ]?alcoholic)";

const WEEKDAY = "(?:mon|tues|wednes|thurs|fri|satur|sun)day";
// What may follow a bare report of use ("i used today", "relapsed, craving 8"). Anything else after
// it ("used my coping skills", "my relapse was years ago") leaves the feeling for the buttons to ask.
const WHEN = oneOf([
  ..."today yesterday tonight again earlier once twice recently but and so then when because while after".split(" "),
  String.raw`just\s+now`,
  String.raw`a\s+(?:little|bit|lot)`,
  String.raw`(?:last|this|that)\s+(?:morning|afternoon|evening|night|week|weekend)`,
  String.raw`on\s+${WEEKDAY}`,
  String.raw`over\s+the\s+weekend`,
  String.raw`at\s+(?:work|home)`,
]);
const QUANTITY = String.raw`(?:(?:some|a\s+few|a\s+lot\s+of|lots\s+of|too\s+much|a|an|one|two|three|\d+)\s+)?`;
const SUBSTANCE =
  QUANTITY +
  oneOf(
    (
      "drugs meth heroin fentanyl cocaine coke crack weed pot cannabis marijuana pills opioids opiates benzos xanax spice " +
      "ketamine mdma molly oxy percs kratom speed alcohol booze beers? wine vodka whiskey whisky liquor spirits cider gin " +
      "rum tequila shots? pints? drinks?"
    ).split(" "),
  );
const REPORT_ENDS = String.raw`(?=\s*(?:$|[,.;:!?|#)]|${WHEN}\b))`;
const REPORT_ENDS_OR_SUBSTANCE = String.raw`(?=\s*(?:$|[,.;:!?|#)]|${WHEN}\b|${SUBSTANCE}\b))`;

export const USED = [
  new RegExp(String.raw`\bused\b${REPORT_ENDS_OR_SUBSTANCE}`),
  new RegExp(String.raw`\b(?:relapsed|lapsed)\b${REPORT_ENDS_OR_SUBSTANCE}`),
  new RegExp(String.raw`\bdrank\b(?!\s+(?:[a-z]+\s+){0,3}?${NON_ALCOHOLIC})${REPORT_ENDS_OR_SUBSTANCE}`),
  /\bhad\s+an?\s+(?:relapse|lapse|slip)\b/,
  new RegExp(String.raw`\b(?:relapse|lapse)\b${REPORT_ENDS}`),
  /\bslip(?:ped)?\s+up\b/,
  new RegExp(String.raw`\bslipped\b${REPORT_ENDS}`),
  new RegExp(
    String.raw`\bhad\s+(?:a|one|two|three|some|a\s+few|few|several|\d+|many|lots\s+of|a\s+couple(?:\s+of)?)\s+(?:drinks?|beers?|shots?|pints?|wine|glass(?:es)?\s+of\s+wine)\b(?!\s+of\s+${NON_ALCOHOLIC})`,
  ),
  /\b(?:got|getting|i'm|im|am)\s+(?:high|drunk|wasted|stoned)\b/,
  /\b(?:was|were|been)\s+(?:drunk|wasted|stoned)\b/,
];

// Words that only say something when negated: "no drinking" is steady, "drinking" alone is not a report.
export const USE_WHEN_NEGATED =
  /\b(?:use|using|uses|used|drink|drinking|drinks|drank|drugs?|alcohol|booze|substances?|relapsed?|relapses|lapsed?|lapses|slips?|slipped|slip\s+ups?|(?:have|had)\s+(?:a|any)\s+drinks?|high|drunk)\b/;

export type FeelingWord = { pattern: RegExp; feeling: Feeling | null; negated: Feeling | null };

// Phrases come before the single words they contain.
export const FEELING_WORDS: readonly FeelingWord[] = [
  { pattern: /\bhard\s+(?:day|time|night|week|one)\b/, feeling: "struggling", negated: "steady" },
  { pattern: /\btough\s+(?:day|time|night|week|one)\b/, feeling: "struggling", negated: "steady" },
  { pattern: /\b(?:doing|feeling|going|holding\s+up)\s+(?:well|better)\b/, feeling: "steady", negated: "struggling" },
  { pattern: /\ball\s+right\b/, feeling: "steady", negated: "struggling" },
  {
    pattern: /\b(?:struggling|struggle|struggled|rough|tough|difficult|bad|awful|terrible|horrible)\b/,
    feeling: "struggling",
    negated: "steady",
  },
  { pattern: /\b(?:stressed|anxious|shaky|wobbly|sad|lonely|depressed|overwhelmed)\b/, feeling: "struggling", negated: null },
  { pattern: /\b(?:good|steady|fine|ok|okay|alright|great|solid|calm|stable|grateful|better)\b/, feeling: "steady", negated: "struggling" },
  // "not sober" and "not clean" are too close to a report of use to read as anything; leave them unset.
  { pattern: /\b(?:sober|clean)\b/, feeling: "steady", negated: null },
];

export const MEETING_MISSED =
  /\b(?:missed|skipped|no|zero|(?:didn't|didnt|did\s+not|couldn't|couldnt|could\s+not|won't|wont|can't|cant)\s+(?:go\s+to|make\s+it\s+to|get\s+to|attend|make|do))\s+(?:[a-z0-9]+\s+){0,2}?meetings?\b/;
export const MEETING_ANSWERED = /\bmeetings?\s*(?:today\s*)?(?:[=:]\s*|-\s+)?(yes|y|yep|yeah|yup|done|no|n|nope|nah)\b/;
export const MEETING_YES_FIRST = /\b(?:yes|yep|yeah)\s+(?:to\s+(?:a\s+|the\s+)?)?meetings?\b/;
export const MEETING_WENT =
  /\b(?:went|been|got|go|going|made\s+it|make\s+it|made|hit|attended|attend|attending|had|did|at|joined|chaired|after|from)\s+(?:to\s+)?(?:[a-z0-9]+\s+){0,3}?meetings?\b/;
export const MEETING_WORD = /\bmeetings?\b/;

export const YES = new Set(["yes", "y", "yep", "yeah", "yup"]);
export const NO = new Set(["no", "n", "nope", "nah"]);
