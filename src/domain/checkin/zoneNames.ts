import { IANAZone } from "luxon";

/**
 * Time zone names as residents type them: checking a stored name, and turning "london" or
 * "Europe/Londn" into a name worth suggesting back to them.
 */

// Node's ICU lists some zones under their pre-rename names; suggestions use the names people know today.
const RENAMED: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Coral_Harbour": "America/Atikokan",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Louisville": "America/Kentucky/Louisville",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

// What people type that no zone name contains. Abbreviations like "EST" name fixed offsets in
// tzdb, which would silently ignore daylight saving, so they point at the place instead.
const COMMON_NAMES: Readonly<Record<string, string>> = {
  eastern: "America/New_York",
  "eastern time": "America/New_York",
  est: "America/New_York",
  edt: "America/New_York",
  et: "America/New_York",
  nyc: "America/New_York",
  "new york city": "America/New_York",
  central: "America/Chicago",
  "central time": "America/Chicago",
  cst: "America/Chicago",
  cdt: "America/Chicago",
  mountain: "America/Denver",
  "mountain time": "America/Denver",
  mst: "America/Denver",
  mdt: "America/Denver",
  pacific: "America/Los_Angeles",
  "pacific time": "America/Los_Angeles",
  pst: "America/Los_Angeles",
  pdt: "America/Los_Angeles",
  la: "America/Los_Angeles",
  arizona: "America/Phoenix",
  alaska: "America/Anchorage",
  hawaii: "Pacific/Honolulu",
  hst: "Pacific/Honolulu",
  newfoundland: "America/St_Johns",
  "st johns": "America/St_Johns",
  uk: "Europe/London",
  gb: "Europe/London",
  britain: "Europe/London",
  england: "Europe/London",
  scotland: "Europe/London",
  wales: "Europe/London",
  "northern ireland": "Europe/London",
  gmt: "Europe/London",
  bst: "Europe/London",
  ireland: "Europe/Dublin",
  india: "Asia/Kolkata",
  ist: "Asia/Kolkata",
  "new zealand": "Pacific/Auckland",
  nz: "Pacific/Auckland",
  utc: "UTC",
};

type Candidate = { name: string; fullKey: string; placeKey: string };

let candidates: readonly Candidate[] | null = null;

/** Lower case, apostrophes dropped, and underscores, hyphens, dots and runs of spaces read as one space. */
function keyOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[\s_.-]+/g, " ")
    .replace(/\s*\/\s*/g, "/")
    .trim();
}

function runtimeKnows(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function modernName(zone: string): string {
  const renamed = RENAMED[zone];
  return renamed !== undefined && runtimeKnows(renamed) ? renamed : zone;
}

function allCandidates(): readonly Candidate[] {
  if (candidates === null) {
    const entries: Candidate[] = [];
    for (const listed of [...Intl.supportedValuesOf("timeZone"), "UTC"]) {
      const name = modernName(listed);
      for (const spelling of new Set([listed, name])) {
        const fullKey = keyOf(spelling);
        entries.push({ name, fullKey, placeKey: fullKey.slice(fullKey.lastIndexOf("/") + 1) });
      }
    }
    candidates = entries;
  }
  return candidates;
}

/** Optimal-string-alignment distance, so "Londno" is one slip from "London", not two. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const previous = rows[i - 1] ?? [];
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? Math.max(a.length, b.length);
}

function typoAllowance(length: number): number {
  if (length >= 12) return 3;
  if (length >= 7) return 2;
  if (length >= 4) return 1;
  return 0;
}

/**
 * True for a named IANA zone ("Europe/London", "Asia/Kolkata", "UTC") spelled with its capitals.
 * Lower-case spellings and bare abbreviations ("EST") are refused so that what gets stored is a name
 * people recognise and one that follows local daylight saving; `suggestZone` offers the right one.
 */
export function isValidZone(zone: string): boolean {
  if (zone !== "UTC" && !zone.includes("/")) return false;
  // Every segment of a real zone name starts with a capital ("America/Argentina/Buenos_Aires", "Etc/GMT+5").
  if (!zone.split("/").every((segment) => /^[A-Z]/.test(segment))) return false;
  return runtimeKnows(zone);
}

/**
 * A zone to offer someone whose input is not a valid zone name, or null when nothing is close
 * enough to be worth offering. A valid name comes back unchanged.
 */
export function suggestZone(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === "") return null;
  if (isValidZone(trimmed)) return trimmed;

  const key = keyOf(trimmed);
  const common = COMMON_NAMES[key];
  if (common !== undefined) return common;

  // Known to the runtime but spelled differently ("europe/london", "US/Eastern", "Etc/UTC").
  if (runtimeKnows(trimmed)) {
    const resolved = modernName(new Intl.DateTimeFormat("en-US", { timeZone: trimmed }).resolvedOptions().timeZone);
    if (isValidZone(resolved)) return resolved;
  }

  const all = allCandidates();
  const compareWhole = key.includes("/");
  const keyFor = (candidate: Candidate) => (compareWhole ? candidate.fullKey : candidate.placeKey);

  const exact = all.find((candidate) => keyFor(candidate) === key);
  if (exact) return exact.name;

  if (key.length >= 4) {
    const containing = new Set(all.filter((candidate) => keyFor(candidate).includes(key)).map((c) => c.name));
    if (containing.size === 1) return [...containing][0] ?? null;
  }

  let best: { name: string; distance: number } | null = null;
  for (const candidate of all) {
    const distance = editDistance(key, keyFor(candidate));
    if (best === null || distance < best.distance) best = { name: candidate.name, distance };
  }
  return best !== null && best.distance <= typoAllowance(key.length) ? best.name : null;
}
