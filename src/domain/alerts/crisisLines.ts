/**
 * Crisis numbers shown to a resident the moment crisis language or SOS is seen. Numbers are written
 * the way the services publish them, so a resident can dial them as read. Check them against the
 * services' own sites when adding a country; a wrong number here is worse than none.
 */
export interface CrisisLine {
  name: string;
  /** What to dial or text, in full. */
  number: string;
  /** How to use it, when the number alone is not enough ("call or text", "option 2"). */
  detail?: string;
}

const DANGER_NOW = "if you or someone else is in danger right now";

const builtInCrisisLines: Readonly<Record<string, readonly CrisisLine[]>> = {
  GB: [
    { name: "Samaritans", number: "116 123", detail: "free, day or night" },
    { name: "NHS", number: "111", detail: "choose option 2 for urgent mental health help" },
    { name: "Shout", number: "85258", detail: "text the word SHOUT" },
    { name: "Emergency services", number: "999", detail: DANGER_NOW },
  ],
  IE: [
    { name: "Samaritans", number: "116 123", detail: "free, day or night" },
    { name: "Pieta", number: "1800 247 247", detail: "or text HELP to 51444" },
    { name: "Text About It", number: "50808", detail: "text the word HELLO" },
    { name: "Emergency services", number: "112 or 999", detail: DANGER_NOW },
  ],
  US: [
    { name: "988 Suicide & Crisis Lifeline", number: "988", detail: "call or text" },
    { name: "Crisis Text Line", number: "741741", detail: "text the word HOME" },
    { name: "Emergency services", number: "911", detail: DANGER_NOW },
  ],
  CA: [
    { name: "9-8-8 Suicide Crisis Helpline", number: "988", detail: "call or text" },
    { name: "Emergency services", number: "911", detail: DANGER_NOW },
  ],
  AU: [
    { name: "Lifeline", number: "13 11 14", detail: "or text 0477 13 11 14" },
    { name: "Suicide Call Back Service", number: "1300 659 467" },
    { name: "Emergency services", number: "000", detail: DANGER_NOW },
  ],
  NZ: [
    { name: "Need to talk?", number: "1737", detail: "free, call or text" },
    { name: "Lifeline Aotearoa", number: "0800 543 354" },
    { name: "Emergency services", number: "111", detail: DANGER_NOW },
  ],
};

const countryAliases: Readonly<Record<string, string>> = { UK: "GB" };

/**
 * There is no international crisis number, so an unknown country gets the truth: the local
 * emergency number, and a directory that lists free crisis lines country by country.
 */
const fallbackCrisisLines: readonly CrisisLine[] = [
  { name: "Emergency services", number: "your local emergency number", detail: "112 works from mobile phones in many countries" },
  { name: "Find A Helpline", number: "findahelpline.com", detail: "free crisis lines in your country" },
];

/**
 * The lines to show for a house. A house's own list wins, but an empty one is ignored: a resident
 * in crisis must never be shown no numbers at all.
 */
export function crisisLinesFor(country: string, override?: ReadonlyArray<{ name: string; number: string }>): CrisisLine[] {
  if (override !== undefined && override.length > 0) return override.map(({ name, number }) => ({ name, number }));
  const code = country.trim().toUpperCase();
  const lines = builtInCrisisLines[countryAliases[code] ?? code] ?? fallbackCrisisLines;
  return lines.map((line) => ({ ...line }));
}

function lineText({ name, number, detail }: CrisisLine): string {
  return detail === undefined ? `${name}: ${number}` : `${name}: ${number} (${detail})`;
}

/** The reply to crisis language or SOS: numbers first and in full, then what the bot is, then who knows. */
export function crisisMessageText(lines: readonly CrisisLine[], counsellorTold: boolean): string {
  return [
    ...lines.map(lineText),
    "",
    "I'm a peer-support bot, not an emergency service, so please use one of these numbers if you need help now.",
    counsellorTold
      ? "Your counsellor has been told and will be in touch."
      : "Please also tell a counsellor or someone you trust in the house.",
  ].join("\n");
}
