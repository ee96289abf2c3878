export { type DigestAudience, digestText } from "./digestText.ts";
export type {
  AlertFacts,
  AlertSeverityName,
  AlertStateName,
  AttendanceFacts,
  CheckinFacts,
  CheckinStatusName,
  MemberStatusName,
  PairingFacts,
} from "./facts.ts";
export { average, dayLabel, shortDayLabel } from "./format.ts";
export {
  type AveragePair,
  DIGEST_TREND_DAYS,
  DIGEST_WEEK_DAYS,
  type DigestDay,
  type DigestResident,
  type HouseDigestFigures,
  type HouseDigestInput,
  houseDigestFigures,
} from "./houseDigest.ts";
export {
  type DayStatus,
  type ResidentSummaryFigures,
  type ResidentSummaryInput,
  residentSummaryFigures,
  SUMMARY_DAYS,
  type SummaryDay,
} from "./residentSummary.ts";
export { dayCounts, REGULATED_NOTE, summaryText, type ViewField, type ViewText } from "./summaryText.ts";
