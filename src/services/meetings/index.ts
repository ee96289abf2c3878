import type { ServiceDeps } from "../deps.ts";
import { createMeetingAdmin } from "./admin.ts";
import { createAttendance } from "./attendance.ts";
import type { FeedLimits } from "./fetchFeed.ts";
import { createFeedImport, DEFAULT_FEED_LIMITS } from "./importFeed.ts";
import { createResidentMeetings } from "./residents.ts";
import { createMeetingSweep } from "./sweep.ts";

/** Meetings: schedules, feed imports, reminders, attendance, calendars. */
export function createMeetings(deps: ServiceDeps, options: { feedLimits?: Partial<FeedLimits> } = {}) {
  const sweep = createMeetingSweep(deps);
  const attendance = createAttendance(deps);
  return {
    admin: createMeetingAdmin(deps),
    importFeed: createFeedImport(deps, { ...DEFAULT_FEED_LIMITS, ...options.feedLimits }),
    residents: createResidentMeetings(deps),
    recordAttendance: attendance.record,
    attendanceForWeek: attendance.attendanceForWeek,
    /** Part of the minute sweep: reminders, "did you go?", the daily house post. */
    sweep: sweep.sweep,
  };
}

export type Meetings = ReturnType<typeof createMeetings>;
