import type { ServiceDeps } from "../deps.ts";

/** Meetings: schedules, feed imports, reminders, attendance, calendars. */
export function createMeetings(_deps: ServiceDeps) {
  return {
    /** Part of the minute sweep: reminders, "did you go?", the daily house post. */
    async sweep(_now: Date): Promise<void> {},
  };
}

export type Meetings = ReturnType<typeof createMeetings>;
