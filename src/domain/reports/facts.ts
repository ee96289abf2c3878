/**
 * The plain facts the counsellor views are computed from. Services read them from the database
 * and convert instants to local dates where a date is meant; everything here is data, no I/O.
 */

export type CheckinStatusName = "pending" | "answered" | "missed" | "excused";
export type MemberStatusName = "invited" | "active" | "paused" | "discharged";
export type AlertSeverityName = "low" | "medium" | "high" | "critical";
export type AlertStateName = "open" | "acknowledged" | "resolved";

/** One day's check-in row. Answer values are null when not given (or erased). */
export interface CheckinFacts {
  localDate: string;
  status: CheckinStatusName;
  usedToday: boolean | null;
  craving: number | null;
  mood: number | null;
  meetingToday: boolean | null;
}

/** A "did you go?" answer about one meeting on one date. */
export interface AttendanceFacts {
  localDate: string;
  status: "went" | "could_not" | "excused";
}

export interface AlertFacts {
  /** Whose alert it is (the digest lists the house's alerts). */
  subject: string;
  /** What raised it, in words ("High craving"); never shown in regulated mode or shared channels. */
  what: string;
  severity: AlertSeverityName;
  state: AlertStateName;
  createdAt: Date;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}

/** A buddy pairing, with dates as local dates in the house's zone. */
export interface PairingFacts {
  newcomer: string;
  buddy: string;
  status: "proposed" | "active" | "ended" | "declined";
  startedOn: string | null;
  plannedEndOn: string | null;
  endedOn: string | null;
  endReason: string | null;
}
