export { MILESTONES, type Milestone, type MilestoneRule, milestoneReachedOn, nextMilestone } from "./milestones.ts";
export {
  type AnswerPart,
  CRAVING_RANGE,
  type Feeling,
  MOOD_RANGE,
  missingParts,
  NOTE_MAX_CHARS,
  type ParsedAnswer,
  parseAnswer,
} from "./parseAnswer.ts";
export { RECENT_DAYS_LEGEND, type RecentDay, recentDaysLine } from "./recentDays.ts";
export {
  addDays,
  checkinInstantOn,
  checkinWindow,
  daysBetween,
  localDateOf,
  nextCheckinInstant,
} from "./schedule.ts";
export { type SobrietyEvent, type SobrietySummary, sobrietySummary } from "./streaks.ts";
export { isValidZone, suggestZone } from "./zoneNames.ts";
