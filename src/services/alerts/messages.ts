import { DateTime } from "luxon";
import { type Message, message } from "../../core/message.ts";
import type { AlertSeverity, AlertState, RiskSignalKind } from "../../generated/prisma/enums.ts";

export const KIND_LABELS: Record<RiskSignalKind, string> = {
  reported_use: "Reported use today",
  high_craving: "High craving",
  low_mood: "Very low mood two days running",
  missed_checkin: "Missed check-ins",
  crisis_words: "Crisis language in a message",
  sos: 'Pressed "I need help now"',
  unreachable: "The bot cannot reach them by DM",
};

export function formatTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("ccc d LLL, HH:mm");
}

export interface AlertView {
  id: string;
  kind: RiskSignalKind;
  severity: AlertSeverity;
  state: AlertState;
  createdAt: Date;
  subjectName: string;
  facts: string[];
  acknowledgedBy?: string | null;
  acknowledgedAt?: Date | null;
  resolvedBy?: string | null;
  resolvedAt?: Date | null;
  outcome?: string | null;
}

/** The counsellor's alert DM: who, what, since when, what to press. */
export function alertMessage(alert: AlertView, zone: string, regulated: boolean, noteButton = false): Message {
  const fields = regulated
    ? [
        { label: "Severity", value: alert.severity },
        { label: "Since", value: formatTime(alert.createdAt, zone) },
      ]
    : [
        { label: "What", value: KIND_LABELS[alert.kind] },
        { label: "Severity", value: alert.severity },
        { label: "Since", value: formatTime(alert.createdAt, zone) },
        ...alert.facts.map((fact) => ({ label: "Detail", value: fact })),
      ];
  let status = "Open: nobody has acknowledged it yet.";
  if (alert.state === "open" && alert.acknowledgedAt) {
    status = `Open again: acknowledged by ${alert.acknowledgedBy ?? "a counsellor"} at ${formatTime(alert.acknowledgedAt, zone)} but not resolved.`;
  }
  if (alert.state === "acknowledged" && alert.acknowledgedAt) {
    status = `Acknowledged by ${alert.acknowledgedBy ?? "a counsellor"} at ${formatTime(alert.acknowledgedAt, zone)}.`;
  }
  if (alert.state === "resolved" && alert.resolvedAt) {
    status = `Resolved by ${alert.resolvedBy ?? "a counsellor"} at ${formatTime(alert.resolvedAt, zone)}.`;
  }
  const buttons =
    alert.state === "resolved"
      ? [[{ actionId: `al:sum:${alert.id}`, label: "Resident summary" }]]
      : [
          [
            ...(alert.state === "open" ? [{ actionId: `al:ack:${alert.id}`, label: "Acknowledge", style: "primary" as const }] : []),
            { actionId: `al:res:${alert.id}`, label: "Resolve" },
            { actionId: `al:sum:${alert.id}`, label: "Resident summary" },
            // The note itself never travels in the alert: it would sit in the outbox in plain text.
            ...(noteButton ? [{ actionId: `al:note:${alert.id}`, label: "Read their note" }] : []),
          ],
        ];
  return message(regulated ? `${alert.subjectName} needs attention. Open the summary for details.\n${status}` : status, {
    title: `${alert.severity === "critical" ? "URGENT: " : ""}${alert.subjectName} needs attention`,
    fields,
    buttons,
  });
}

/** What a buddy or senior peer sees: a nudge to look in, never any answers. */
export function peerNudgeMessage(subjectName: string, alertId: string | null, kind: RiskSignalKind = "missed_checkin"): Message {
  const why =
    kind === "unreachable"
      ? `The bot can't reach ${subjectName} by direct message any more. Could you look in on them in person?`
      : `${subjectName} hasn't checked in today. Could you look in on them when you can?`;
  return message(`${why} No need to ask about their answers; just say hello.`, {
    title: "A nudge from the house bot",
    buttons: alertId ? [[{ actionId: `al:ack:${alertId}`, label: "I'll check on them", style: "primary" }]] : undefined,
  });
}

/** A peer's nudge once a counsellor or peer is on it: who, and thanks; still no details. */
export function peerHandledMessage(subjectName: string, handledBy: string | null, resolved: boolean): Message {
  return message(
    resolved
      ? `This is taken care of now. Thank you for looking out for ${subjectName}.`
      : `${handledBy ?? "Someone"} is looking in on ${subjectName}. Thank you.`,
    { title: "A nudge from the house bot" },
  );
}

export function exhaustedMessage(subjectName: string, alertId: string): Message {
  return message(`Nobody has acknowledged the alert about ${subjectName} after every escalation step. Please pick it up.`, {
    title: "Unanswered alert",
    buttons: [
      [
        { actionId: `al:ack:${alertId}`, label: "Acknowledge", style: "primary" },
        { actionId: `al:res:${alertId}`, label: "Resolve" },
      ],
    ],
  });
}
