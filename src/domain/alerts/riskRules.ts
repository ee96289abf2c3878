import { DateTime } from "luxon";
import type { HouseSettings } from "../houseSettings.ts";
import type { AlertSeverity } from "./escalation.ts";

/** Mirrors the RiskSignalKind enum in prisma/schema.prisma; the domain may not import Prisma. */
export const riskSignalKinds = [
  "reported_use",
  "high_craving",
  "low_mood",
  "missed_checkin",
  "crisis_words",
  "sos",
  "unreachable",
] as const;

export type RiskSignalKind = (typeof riskSignalKinds)[number];

export interface RiskSignal {
  kind: RiskSignalKind;
  details: { missedInARow?: number; craving?: number };
}

/**
 * The second half of an alert's dedup key (the first is the resident). SOS and crisis words share
 * "crisis", so a resident who presses SOS and then writes to the bot is one alert with two signals,
 * not two counsellors' phones ringing for the same moment.
 */
export type DedupKind = Exclude<RiskSignalKind, "crisis_words" | "sos"> | "crisis";

export type AlertDecision =
  | { action: "alert"; severity: AlertSeverity; dedupKind: DedupKind }
  | { action: "nudgeBuddy" }
  | { action: "none" };

export type RiskSettings = Pick<HouseSettings, "missedBeforeAlert" | "cravingThreshold">;

/** On the 1-5 check-in scale, 1 and 2 are the low answers. */
export const LOW_MOOD_AT_MOST = 2;

const alert = (severity: AlertSeverity, dedupKind: DedupKind): AlertDecision => ({ action: "alert", severity, dedupKind });

/**
 * A signal that arrives without a usable count still means at least one check-in was missed; it is
 * treated as one so it reaches the buddy instead of being dropped.
 */
function missedCount(missedInARow: number | undefined): number {
  return missedInARow !== undefined && Number.isFinite(missedInARow) ? Math.max(1, Math.floor(missedInARow)) : 1;
}

export function alertForSignal(signal: RiskSignal, settings: RiskSettings): AlertDecision {
  switch (signal.kind) {
    case "reported_use":
      return alert("high", "reported_use");
    case "high_craving": {
      // The signal may come from an older threshold; the house's current one decides.
      const { craving } = signal.details;
      return craving !== undefined && craving < settings.cravingThreshold ? { action: "none" } : alert("medium", "high_craving");
    }
    case "low_mood":
      return alert("medium", "low_mood");
    case "missed_checkin":
      return missedCount(signal.details.missedInARow) >= settings.missedBeforeAlert
        ? alert("medium", "missed_checkin")
        : { action: "nudgeBuddy" };
    case "crisis_words":
    case "sos":
      return alert("critical", "crisis");
    case "unreachable":
      return alert("low", "unreachable");
  }
}

/**
 * True when the latest answered day and the calendar day before it were both low. A gap day breaks
 * the run: silence is handled by the missed check-in rule, not guessed at here. Two answers on one
 * day count as the lower one.
 */
export function lowMoodTwoDaysRunning(moods: ReadonlyArray<{ localDate: string; mood: number }>): boolean {
  const lowestByDate = new Map<string, number>();
  for (const { localDate, mood } of moods) {
    const date = DateTime.fromISO(localDate, { zone: "utc" }).toISODate();
    if (date === null) continue;
    lowestByDate.set(date, Math.min(mood, lowestByDate.get(date) ?? Number.POSITIVE_INFINITY));
  }
  const latest = [...lowestByDate.keys()].sort().at(-1);
  if (latest === undefined) return false;
  const dayBefore = DateTime.fromISO(latest, { zone: "utc" }).minus({ days: 1 }).toISODate();
  const isLow = (date: string | null): boolean => {
    const mood = date === null ? undefined : lowestByDate.get(date);
    return mood !== undefined && mood <= LOW_MOOD_AT_MOST;
  };
  return isLow(latest) && isLow(dayBefore);
}
