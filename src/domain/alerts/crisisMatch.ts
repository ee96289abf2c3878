import { crisisFalsePositiveContexts, crisisPhrases, crisisSpellingVariants } from "./crisisWords.data.ts";

/**
 * `phrases` are entries from crisisWords.data.ts, never words from the text: callers store and log
 * them, and resident text must not reach a log or a shared channel.
 */
export interface CrisisMatch {
  matched: boolean;
  phrases: string[];
}

interface Token {
  word: string;
  /** Sentence punctuation before this word; idioms must not span it, crisis phrases may. */
  breakBefore: boolean;
}

interface PatternWord {
  stem: string;
  prefix: boolean;
  anyNumber: boolean;
}

interface Pattern {
  source: string;
  words: PatternWord[];
}

const APOSTROPHE_LOOKALIKES = /[\u2018\u2019\u201B\u02B9\u02BC\u0060\u00B4\u2032]/g;
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const COMBINING_MARKS = /\p{M}/gu;
// "O.D." has to read as "od"; the look-arounds keep "end.it" from becoming "endit".
const DOTTED_LETTERS = /(?<![a-z0-9])([a-z])\.([a-z])\.?(?![a-z0-9])/g;
const CONTRACTION_SUFFIX = /'(?:d|s|ll|ve|re|m|t)(?![a-z0-9])/g;
const WORD = /[a-z0-9]+/g;
// Commas count: "I want to die, laughing at it now" must not be read as the idiom "die laughing".
const SENTENCE_BREAK = /[.!?;:,\n\r\u2026()[\]{}|]/;
const ELONGATED = /([a-z])\1\1/;

function normalise(text: string): string {
  return text
    .normalize("NFKD")
    .replace(COMBINING_MARKS, "")
    .toLowerCase()
    .replace(INVISIBLE, "")
    .replace(APOSTROPHE_LOOKALIKES, "'")
    .replace(DOTTED_LETTERS, "$1$2");
}

/**
 * Two readings of the apostrophes, because neither alone is enough: dropping them turns "can't"
 * into "cant" (matches) but "OD'd" into "odd" (does not); dropping the contraction ending turns
 * "OD'd" into "od" (matches) but "can't" into "can" (does not).
 */
function apostropheReadings(text: string): string[] {
  if (!text.includes("'")) return [text];
  return [text.replace(/'/g, ""), text.replace(CONTRACTION_SUFFIX, "").replace(/'/g, " ")];
}

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(WORD)) {
    const gap = text.slice(previousEnd, match.index);
    tokens.push({ word: match[0], breakBefore: tokens.length > 0 && SENTENCE_BREAK.test(gap) });
    previousEnd = match.index + match[0].length;
  }
  return tokens;
}

const rewrites = crisisSpellingVariants
  .map(([typed, canonical]) => ({ from: typed.split(" "), to: canonical.split(" ") }))
  .sort((a, b) => b.from.length - a.from.length);

function applySpellingVariants(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  for (let current = tokens[i]; current !== undefined; current = tokens[i]) {
    const rewrite = rewrites.find(({ from }) =>
      from.every((word, k) => {
        const token = tokens[i + k];
        return token !== undefined && token.word === word && (k === 0 || !token.breakBefore);
      }),
    );
    if (rewrite === undefined) {
      out.push(current);
      i += 1;
      continue;
    }
    out.push(...rewrite.to.map((word, k) => ({ word, breakBefore: k === 0 && current.breakBefore })));
    i += rewrite.from.length;
  }
  return out;
}

function compile(source: string): Pattern {
  const tokens = applySpellingVariants(source.split(" ").map((word) => ({ word, breakBefore: false })));
  return {
    source,
    words: tokens.map(({ word }) => ({
      stem: word.replace(/\*$/, ""),
      prefix: word.endsWith("*"),
      anyNumber: word === "#",
    })),
  };
}

const phrasePatterns: readonly Pattern[] = Object.values(crisisPhrases).flat().map(compile);
const falsePositivePatterns: readonly Pattern[] = crisisFalsePositiveContexts.map(compile);

/** Squeezes letter runs so "dieeee" and "killll" still count; only used when the typed word is stretched. */
function squeeze(word: string): string {
  return word.replace(/([a-z])\1+/g, "$1");
}

function wordMatches(word: string, pattern: PatternWord): boolean {
  if (pattern.anyNumber) return /^\d+$/.test(word);
  if (pattern.prefix ? word.startsWith(pattern.stem) : word === pattern.stem) return true;
  if (!ELONGATED.test(word)) return false;
  return pattern.prefix ? squeeze(word).startsWith(squeeze(pattern.stem)) : squeeze(word) === squeeze(pattern.stem);
}

function matchesAt(tokens: readonly Token[], start: number, pattern: Pattern, acrossBreaks: boolean): boolean {
  return pattern.words.every((patternWord, k) => {
    const token = tokens[start + k];
    if (token === undefined) return false;
    if (!acrossBreaks && k > 0 && token.breakBefore) return false;
    return wordMatches(token.word, patternWord);
  });
}

function falsePositiveMask(tokens: readonly Token[]): boolean[] {
  const masked = tokens.map(() => false);
  for (const pattern of falsePositivePatterns) {
    for (let start = 0; start < tokens.length; start += 1) {
      if (!matchesAt(tokens, start, pattern, false)) continue;
      for (let k = 0; k < pattern.words.length; k += 1) masked[start + k] = true;
    }
  }
  return masked;
}

function occursOutsideIdioms(tokens: readonly Token[], masked: readonly boolean[], pattern: Pattern): boolean {
  for (let start = 0; start < tokens.length; start += 1) {
    if (!matchesAt(tokens, start, pattern, true)) continue;
    if (!masked.slice(start, start + pattern.words.length).some(Boolean)) return true;
  }
  return false;
}

/**
 * Looks for crisis language in a resident's message. Deliberately generous: phrases may run across
 * punctuation ("I can't... go on"), and only narrow, listed idioms are excused.
 */
export function findCrisisLanguage(text: string): CrisisMatch {
  const found = new Set<string>();
  for (const reading of apostropheReadings(normalise(text))) {
    const tokens = applySpellingVariants(tokenise(reading));
    const masked = falsePositiveMask(tokens);
    for (const pattern of phrasePatterns) {
      if (!found.has(pattern.source) && occursOutsideIdioms(tokens, masked, pattern)) found.add(pattern.source);
    }
  }
  const phrases = phrasePatterns.map(({ source }) => source).filter((source) => found.has(source));
  return { matched: phrases.length > 0, phrases };
}
