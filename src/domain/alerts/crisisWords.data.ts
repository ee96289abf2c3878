/**
 * English crisis language, kept as data so a clinician can review it without reading code.
 *
 * How it was chosen: first-person phrasings of suicidal thinking, self-harm, overdose, hopelessness
 * and intent to use in order to die, the way people actually type them in a DM (slang such as "kms"
 * and "unalive" included). Generic venting ("I hate my life", "this is killing me") is left out
 * on purpose: it would fire daily and teach counsellors to ignore the alert. Negations ("I'd never
 * kill myself") still match, because a counsellor should decide that, not a word list.
 * The list was drafted for this project; have the house's clinical lead review every change.
 *
 * How to write an entry (the matcher normalises text and entries the same way):
 * - lower case, words separated by single spaces, no punctuation; "can't" is written "cant";
 * - a trailing `*` on a word matches any ending: "kill* myself" covers "killing myself", "killed myself";
 * - contractions, slang and misspellings ("wanna", "cannot", "myslef") are handled once, in
 *   `crisisSpellingVariants`, not by repeating phrases;
 * - `#` (false-positive contexts only) stands for any number, as in "# kms".
 * When in doubt, add the phrase: a missed crisis costs far more than a counsellor's check-in.
 * Every entry is exercised by test/unit/alerts/crisisMatch.test.ts.
 */

export type CrisisCategory = "suicideAndSelfHarm" | "overdose" | "hopelessness" | "immediateDanger";

export const crisisPhrases: Readonly<Record<CrisisCategory, readonly string[]>> = {
  suicideAndSelfHarm: [
    "kill* myself",
    "kms",
    "suicid*",
    "unalive*",
    "end* my life",
    "end my own life",
    "take my own life",
    "take my life",
    "taking my own life",
    "end it all",
    "ending it all",
    "want* to die",
    "want* to be dead",
    "ready to die",
    "wish i was dead",
    "wish i were dead",
    "wish i was never born",
    "wish i had never been born",
    "dont want to be here anymore",
    "dont want to be alive",
    "dont want to live",
    "dont want to exist",
    "dont want to wake up",
    "hurt* myself",
    "harm* myself",
    "self harm*",
    "cut* myself",
    "hang* myself",
    "shoot* myself",
    "slit my wrist*",
    "jump* off a bridge",
    "jump* in front of a train",
  ],
  overdose: [
    "overdos*",
    "od",
    "ods",
    "oded",
    "oding",
    "took too many pills",
    "taken too many pills",
    "taking too many pills",
    "took all my pills",
    "took all the pills",
    "swallowed all my pills",
    "swallowed all the pills",
    "took a whole bottle",
    "took the whole bottle",
  ],
  hopelessness: [
    "cant go on",
    "cant carry on",
    "cant keep going",
    "cant do this anymore",
    "cant take it anymore",
    "cant take this anymore",
    "no point living",
    "no point in living",
    "no point being alive",
    "no point in being alive",
    "no point going on",
    "what is the point of living",
    "what is the point in living",
    "not worth living",
    "better off dead",
    "better off without me",
    "no reason to live",
    "nothing to live for",
    "nothing left to live for",
    "give up on life",
    "giving up on life",
    "given up on life",
    "burden to everyone",
    "burden on everyone",
    "no way out",
  ],
  immediateDanger: [
    "use and end it",
    "going to end it",
    "end it tonight",
    "ending it tonight",
    "use until i die",
    "use until i am dead",
    "drink myself to death",
    "this is goodbye",
    "goodbye forever",
    "final goodbye",
    "wont be here tomorrow",
    "wont be around much longer",
    "not be around much longer",
  ],
};

/**
 * Idioms that contain a crisis phrase but plainly mean something else. A crisis phrase is ignored
 * only where it overlaps one of these, so "I died laughing, but honestly I want to die" still fires.
 * Keep these narrow: "end it with him" is here, "end it with" is not, because "end it with pills" must match.
 */
export const crisisFalsePositiveContexts: readonly string[] = [
  "suicide squad",
  "suicidesquad",
  "career suicide",
  "political suicide",
  "social suicide",
  "commercial suicide",
  "suicide doors",
  "suicide sprint*",
  "die of embarrassment",
  "die of shame",
  "die laughing",
  "died laughing",
  "killed myself laughing",
  "killing myself laughing",
  "cut* myself some slack",
  "cut* myself off",
  "cut* myself a slice",
  "cut* myself a piece",
  "cut* myself shaving",
  "cut* myself cooking",
  "cut* myself chopping",
  "accidentally cut myself",
  "shoot* myself in the foot",
  "overdos* of sunshine",
  "overdos* on sunshine",
  "overdos* on chocolate",
  "overdos* on cake",
  "overdos* on netflix",
  "overdos* on cuteness",
  "od on chocolate",
  "od on netflix",
  "od green",
  "going to end it with him",
  "going to end it with her",
  "going to end it with them",
  "going to end it with my boyfriend",
  "going to end it with my girlfriend",
  "going to end it with my partner",
  "# kms",
];

/**
 * Rewrites applied to both the text and the lists before matching, so one entry covers every
 * spelling. Left side: what people type (after apostrophes are dropped); right side: how entries are written.
 */
export const crisisSpellingVariants: ReadonlyArray<readonly [typed: string, canonical: string]> = [
  ["wanna", "want to"],
  ["wana", "want to"],
  ["gonna", "going to"],
  ["gunna", "going to"],
  ["cannot", "cant"],
  ["can not", "cant"],
  ["cnt", "cant"],
  ["do not", "dont"],
  ["dnt", "dont"],
  ["will not", "wont"],
  ["is not", "isnt"],
  ["whats", "what is"],
  ["wats", "what is"],
  ["im", "i am"],
  ["any more", "anymore"],
  ["my self", "myself"],
  ["meself", "myself"],
  ["myslef", "myself"],
  ["mysef", "myself"],
  ["mself", "myself"],
  ["selfharm", "self harm"],
  ["kil", "kill"],
  ["suicde", "suicide"],
  ["sucide", "suicide"],
  ["suiside", "suicide"],
  ["suacide", "suicide"],
  ["sucidal", "suicidal"],
  ["suicidle", "suicidal"],
  ["suisidal", "suicidal"],
  ["sucicidal", "suicidal"],
  ["overdossed", "overdosed"],
  ["overdosd", "overdosed"],
  ["pils", "pills"],
  ["ded", "dead"],
  ["till", "until"],
  ["til", "until"],
];
