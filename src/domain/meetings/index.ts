export { type CalendarMeeting, meetingsCalendar } from "./calendar.ts";
export { normaliseClockTime } from "./clockTime.ts";
export { durationText, kindText, localWhen, placeText, scheduleText } from "./describe.ts";
export {
  checkDraft,
  FEED_FORMAT_LABELS,
  FEED_FORMATS,
  type FeedFormat,
  MAX_FEED_BYTES,
  MAX_FEED_ROWS,
  megabytes,
  type RejectedRow,
} from "./feed.ts";
export { applyManualFields, blankDraft, type ManualFields } from "./manual.ts";
export { FELLOWSHIP_LABELS, FELLOWSHIPS, type Fellowship, type MeetingDraft, slugify } from "./meeting.ts";
export { nextOccurrences, type Occurrence, occurrenceOn, occurrencesBetween, weekStartOf } from "./occurrences.ts";
export { detectFormat, parseFeed } from "./parseFeed.ts";
export { parseWeekdays } from "./weekdays.ts";
