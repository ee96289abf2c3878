import type { DeliveryListener } from "../outbox/dispatcher.ts";
import { createAlerts } from "./alerts/alerts.ts";
import { createBuddies } from "./buddies/index.ts";
import { createAbsences } from "./checkins/absences.ts";
import { createCheckinAnswers } from "./checkins/answers.ts";
import { createEnrolment } from "./checkins/enrolment.ts";
import { createCheckinSweep } from "./checkins/sweep.ts";
import type { ServiceDeps } from "./deps.ts";
import { createHome } from "./home.ts";
import { createHouseSettingsChange } from "./houseSettingsChange.ts";
import { createHouseService } from "./houses.ts";
import { createMaintenanceService } from "./maintenance.ts";
import { createMeetings } from "./meetings/index.ts";
import { createMemberService } from "./members.ts";
import { createPrivacy } from "./privacy/privacy.ts";
import { createReachabilityListener } from "./reachability.ts";
import { createReports } from "./reports/reports.ts";

/** Every use case the commands and the scheduler can reach. */
export function createServices(deps: ServiceDeps) {
  const houses = createHouseService(deps);
  const members = createMemberService(deps);
  const maintenance = createMaintenanceService(deps);
  const alerts = createAlerts(deps);
  const checkinSweep = createCheckinSweep(deps, alerts.handleSignals);
  const answers = createCheckinAnswers(deps, alerts.handleSignals);
  const enrolment = createEnrolment(deps);
  const absences = createAbsences(deps);
  const meetings = createMeetings(deps);
  const buddies = createBuddies(deps);
  const privacy = createPrivacy(deps);
  const reports = createReports(deps);
  return {
    privacy,
    houses,
    houseSettings: createHouseSettingsChange(deps),
    members,
    maintenance,
    alerts,
    checkins: { sweep: checkinSweep, answers, enrolment, absences },
    home: createHome(deps, answers),
    meetings,
    buddies,
    reports,
    /** Called every minute by the scheduler with the current instant; each sweeper is idempotent. */
    sweepers: [
      // Three sweepers, in this order, so the bench can say which part of the check-ins was slow.
      async function checkinPrompts(now: Date) {
        await enrolment.resumeExpiredPauses(now);
        await checkinSweep.promptDue(now);
      },
      async function checkinReminders(now: Date) {
        await checkinSweep.remindDue(now);
      },
      async function checkinCloses(now: Date) {
        await checkinSweep.closeDue(now);
      },
      async function escalations(now: Date) {
        await alerts.sweep(now);
      },
      async function meetingReminders(now: Date) {
        await meetings.sweep(now);
      },
      async function pairings(now: Date) {
        await buddies.sweep(now);
      },
      async function retention(now: Date) {
        await privacy.retentionSweep(now);
      },
      async function digests(now: Date) {
        await reports.sweep(now);
      },
      maintenance.sweep,
    ] as Array<(now: Date) => Promise<void>>,
    /** Told of every delivery and failure: unreachable members, alert failover. */
    deliveryListeners: [createReachabilityListener(deps, alerts.handleSignals), alerts.deliveryListener] as DeliveryListener[],
  };
}

export type Services = ReturnType<typeof createServices>;
