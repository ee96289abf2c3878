/**
 * Stated matching preferences, e.g. `{ gender: "f", language: "en" }`, as a counsellor records
 * them at intake. The same keys describe a candidate, so a preference "matches" when both people
 * state the same value for a key.
 */

export type Preferences = Readonly<Record<string, string>>;

export const PREFERENCE_LIMITS = { pairs: 5, keyLength: 20, valueLength: 30 } as const;

const KEY = /^[a-z][a-z0-9_-]*$/;

function normalise(value: string): string {
  return value.trim().toLowerCase();
}

/** Reads the stored JSON, keeping only short string pairs: old or hand-edited rows never break matching. */
export function readPreferences(stored: unknown): Preferences {
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    const k = normalise(key);
    if (typeof value !== "string" || !KEY.test(k) || k.length > PREFERENCE_LIMITS.keyLength) continue;
    const v = normalise(value);
    if (v.length > 0 && v.length <= PREFERENCE_LIMITS.valueLength) result[k] = v;
    if (Object.keys(result).length >= PREFERENCE_LIMITS.pairs) break;
  }
  return result;
}

export type ParsedPreferences = { ok: true; preferences: Preferences } | { ok: false; problem: string };

/** `gender=f language=en` or `gender=f,language=en`; `none` clears them. */
export function parsePreferences(text: string): ParsedPreferences {
  const trimmed = text.trim();
  if (normalise(trimmed) === "none") return { ok: true, preferences: {} };
  const pairs = trimmed.split(/[\s,;]+/).filter(Boolean);
  if (pairs.length > PREFERENCE_LIMITS.pairs) return { ok: false, problem: `give at most ${PREFERENCE_LIMITS.pairs} preferences` };
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([^=:]+)[=:](.+)$/.exec(pair);
    const key = match?.[1] ? normalise(match[1]) : "";
    const value = match?.[2] ? normalise(match[2]) : "";
    if (!KEY.test(key) || key.length > PREFERENCE_LIMITS.keyLength) {
      return { ok: false, problem: `"${pair.slice(0, 40)}" should look like language=en` };
    }
    if (value.length === 0 || value.length > PREFERENCE_LIMITS.valueLength) {
      return { ok: false, problem: `the value for ${key} should be 1-${PREFERENCE_LIMITS.valueLength} characters` };
    }
    result[key] = value;
  }
  return { ok: true, preferences: result };
}

/** The newcomer's stated preferences that the candidate shares, in key order. */
export function sharedPreferences(newcomer: Preferences, candidate: Preferences): string[] {
  return Object.keys(newcomer)
    .filter((key) => candidate[key] !== undefined && normalise(candidate[key] ?? "") === normalise(newcomer[key] ?? ""))
    .sort();
}

export function preferencesLine(preferences: Preferences): string {
  const keys = Object.keys(preferences).sort();
  return keys.length ? keys.map((k) => `${k}=${preferences[k]}`).join(", ") : "none";
}
