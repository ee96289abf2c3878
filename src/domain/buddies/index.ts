export {
  BLOCKING_REASONS,
  type BuddyCandidate,
  type BuddyNewcomer,
  capacityOf,
  type IneligibleReason,
  ineligibleReasons,
  MAX_PROPOSALS,
  type MatchResult,
  type MatchRules,
  type MemberRole,
  type MemberStatus,
  type PeerRole,
  QUIET_DAYS,
  type RankedCandidate,
  rankCandidates,
} from "./matching.ts";
export { buddiedDays, plannedEndOf, stillNeedsBuddy } from "./pairingPeriod.ts";
export { PING_LIMIT, type PingAllowance, pingAllowance } from "./pingLimit.ts";
export {
  type ParsedPreferences,
  PREFERENCE_LIMITS,
  type Preferences,
  parsePreferences,
  preferencesLine,
  readPreferences,
  sharedPreferences,
} from "./preferences.ts";
