export { type CrisisLine, crisisLinesFor, crisisMessageText } from "./crisisLines.ts";
export { type CrisisMatch, findCrisisLanguage } from "./crisisMatch.ts";
export {
  type CrisisCategory,
  crisisFalsePositiveContexts,
  crisisPhrases,
  crisisSpellingVariants,
} from "./crisisWords.data.ts";
export {
  type AcknowledgeResult,
  type AlertSeverity,
  acknowledge,
  type EscalationDue,
  type EscalationLevel,
  type EscalationState,
  type EscalationStep,
  escalationDue,
  failover,
  levelsFor,
  type ResolveResult,
  resolve,
  retriggerDue,
  startEscalation,
  timeoutMinutesFor,
} from "./escalation.ts";
export {
  type AlertDecision,
  alertForSignal,
  type DedupKind,
  LOW_MOOD_AT_MOST,
  lowMoodTwoDaysRunning,
  type RiskSettings,
  type RiskSignal,
  type RiskSignalKind,
  riskSignalKinds,
} from "./riskRules.ts";
