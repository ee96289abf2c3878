import { daysBetween } from "../checkin/schedule.ts";
import { type Preferences, sharedPreferences } from "./preferences.ts";

/** Mirror the Prisma enums: the domain may not import Prisma. */
export type PeerRole = "none" | "buddy_eligible" | "senior_peer";
export type MemberStatus = "invited" | "active" | "paused" | "discharged";
export type MemberRole = "resident" | "counsellor" | "admin";

/** A lapse or an alert this recent means someone is looked after, not asked to look after others. */
export const QUIET_DAYS = 14;
export const MAX_PROPOSALS = 3;

/** What matching needs to know of a possible buddy; dates are local YYYY-MM-DD in the house's zone. */
export interface BuddyCandidate {
  id: string;
  role: MemberRole;
  peerRole: PeerRole;
  status: MemberStatus;
  isBot: boolean;
  programmeStart: string;
  lastLapseOn: string | null;
  /** The day the most recent alert about them was raised, whatever its state now. */
  lastAlertOn: string | null;
  hasOpenAlert: boolean;
  /** Newcomers they buddy right now. */
  activeNewcomers: number;
  /** The last day they were a buddy (today while they still are one); null if never. */
  lastBuddiedOn: string | null;
  /** Someone still being settled in themselves is not asked to settle in another. */
  hasOwnBuddy: boolean;
  preferences: Preferences;
}

export interface BuddyNewcomer {
  id: string;
  preferences: Preferences;
}

export interface MatchRules {
  today: string;
  buddyMinDays: number;
  buddyCapacity: number;
  seniorPeerCapacity: number;
  /** People not to propose again, e.g. the buddy whose pairing was just ended. */
  exclude?: readonly string[];
}

export type IneligibleReason =
  | "self"
  | "excluded"
  | "not_resident"
  | "no_role"
  | "not_active"
  | "has_own_buddy"
  | "at_capacity"
  | "too_new"
  | "recent_lapse"
  | "recent_alert";

/**
 * Reasons a counsellor naming a buddy with /pair cannot override. The rest (time in the
 * programme, a recent lapse or alert) are judgement calls the counsellor is shown and may make.
 */
export const BLOCKING_REASONS: ReadonlySet<IneligibleReason> = new Set([
  "self",
  "not_resident",
  "no_role",
  "not_active",
  "has_own_buddy",
  "at_capacity",
]);

export function capacityOf(peerRole: PeerRole, rules: Pick<MatchRules, "buddyCapacity" | "seniorPeerCapacity">): number {
  if (peerRole === "senior_peer") return rules.seniorPeerCapacity;
  if (peerRole === "buddy_eligible") return rules.buddyCapacity;
  return 0;
}

/** Every reason this candidate may not buddy this newcomer today; empty when they may. */
export function ineligibleReasons(candidate: BuddyCandidate, newcomer: BuddyNewcomer, rules: MatchRules): IneligibleReason[] {
  const reasons: IneligibleReason[] = [];
  if (candidate.id === newcomer.id) reasons.push("self");
  if (rules.exclude?.includes(candidate.id)) reasons.push("excluded");
  if (candidate.role !== "resident" || candidate.isBot) reasons.push("not_resident");
  if (candidate.peerRole === "none") reasons.push("no_role");
  if (candidate.status !== "active") reasons.push("not_active");
  if (candidate.hasOwnBuddy) reasons.push("has_own_buddy");
  if (candidate.peerRole !== "none" && candidate.activeNewcomers >= capacityOf(candidate.peerRole, rules)) reasons.push("at_capacity");
  if (daysBetween(candidate.programmeStart, rules.today) < rules.buddyMinDays) reasons.push("too_new");
  if (candidate.lastLapseOn !== null && daysBetween(candidate.lastLapseOn, rules.today) < QUIET_DAYS) reasons.push("recent_lapse");
  if (candidate.hasOpenAlert || (candidate.lastAlertOn !== null && daysBetween(candidate.lastAlertOn, rules.today) < QUIET_DAYS)) {
    reasons.push("recent_alert");
  }
  return reasons;
}

export interface RankedCandidate {
  id: string;
  /** 1 is the best match. */
  rank: number;
  sharedPreferences: string[];
  /** Days since they last buddied; null if they never have. */
  daysSinceBuddied: number | null;
  activeNewcomers: number;
  daysInProgramme: number;
}

export interface MatchResult {
  ranked: RankedCandidate[];
  ineligible: Array<{ id: string; reasons: IneligibleReason[] }>;
}

/** Total order, best first: shared preferences, then rested longest, then least busy, then most experienced, then id. */
function compare(a: Omit<RankedCandidate, "rank">, b: Omit<RankedCandidate, "rank">): number {
  if (a.sharedPreferences.length !== b.sharedPreferences.length) return b.sharedPreferences.length - a.sharedPreferences.length;
  const restA = a.daysSinceBuddied ?? Number.POSITIVE_INFINITY;
  const restB = b.daysSinceBuddied ?? Number.POSITIVE_INFINITY;
  if (restA !== restB) return restA > restB ? -1 : 1;
  if (a.activeNewcomers !== b.activeNewcomers) return a.activeNewcomers - b.activeNewcomers;
  if (a.daysInProgramme !== b.daysInProgramme) return b.daysInProgramme - a.daysInProgramme;
  // Plain code-unit order, not localeCompare: the same input must rank the same on every machine.
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Up to `limit` eligible buddies for a newcomer, best first, and why the others were left out.
 * Candidate ids are expected to be unique. Pure and deterministic: the order of `candidates`
 * does not change the answer.
 */
export function rankCandidates(
  newcomer: BuddyNewcomer,
  candidates: readonly BuddyCandidate[],
  rules: MatchRules,
  limit: number = MAX_PROPOSALS,
): MatchResult {
  const eligible: Array<Omit<RankedCandidate, "rank">> = [];
  const ineligible: MatchResult["ineligible"] = [];
  for (const candidate of candidates) {
    const reasons = ineligibleReasons(candidate, newcomer, rules);
    if (reasons.length > 0) {
      ineligible.push({ id: candidate.id, reasons });
      continue;
    }
    eligible.push({
      id: candidate.id,
      sharedPreferences: sharedPreferences(newcomer.preferences, candidate.preferences),
      daysSinceBuddied: candidate.lastBuddiedOn === null ? null : Math.max(0, daysBetween(candidate.lastBuddiedOn, rules.today)),
      activeNewcomers: candidate.activeNewcomers,
      daysInProgramme: daysBetween(candidate.programmeStart, rules.today),
    });
  }
  eligible.sort(compare);
  ineligible.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    ranked: eligible.slice(0, Math.max(0, limit)).map((candidate, index) => ({ ...candidate, rank: index + 1 })),
    ineligible,
  };
}
