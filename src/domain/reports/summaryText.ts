import { RECENT_DAYS_LEGEND, recentDaysLine } from "../checkin/recentDays.ts";
import type { AlertFacts } from "./facts.ts";
import { dayLabel, decimal, instantLabel, plural } from "./format.ts";
import { type ResidentSummaryFigures, SUMMARY_DAYS } from "./residentSummary.ts";

/** A label and value, as the neutral message's fields take them. */
export interface ViewField {
  label: string;
  value: string;
}

/** A counsellor view as text: what the chat shows, and what a screen reader or the console reads instead of the chart. */
export interface ViewText {
  title: string;
  text: string;
  fields: ViewField[];
  /** The chart's alt text: its key figures in one or two sentences. */
  altText: string;
}

export const REGULATED_NOTE = "Regulated mode: check-in answers, sobriety history and alert reasons are left out of chat.";

function statusLine(f: ResidentSummaryFigures): string {
  switch (f.status.state) {
    case "active":
      return `Taking part: check-in at ${f.status.checkinTime} each day`;
    case "paused":
      return f.status.pausedUntil ? `Paused until the end of ${dayLabel(f.status.pausedUntil)}` : "Paused until they resume";
    case "invited":
      return "Has not agreed to check-ins yet";
    case "discharged":
      return "Discharged";
  }
}

function sobrietyLine(f: ResidentSummaryFigures): string {
  const s = f.sobriety;
  if (s === null) return "Days sober: no sobriety date set";
  const since = s.streakStart ? ` (since ${dayLabel(s.streakStart)})` : "";
  const lapses = s.lapses === 0 ? "no lapses" : `lapses: ${s.lapses}${s.lastLapse ? `, last on ${dayLabel(s.lastLapse)}` : ""}`;
  return `Days sober: ${s.daysSober}${since} · total sober days: ${s.totalSoberDays} · ${lapses}`;
}

/** "20 checked in, 3 missed, 2 excused, 3 with no check-in". */
export function dayCounts(counts: ResidentSummaryFigures["counts"]): string {
  const parts = [`${counts.answered} checked in`, `${counts.missed} missed`, `${counts.excused} excused`];
  if (counts.none > 0) parts.push(`${counts.none} with no check-in`);
  if (counts.pending > 0) parts.push(`${counts.pending} still open`);
  return parts.join(", ");
}

function alertLine(alert: AlertFacts, zone: string, regulated: boolean, when: "since" | "raised"): string {
  const state = alert.state === "acknowledged" ? `acknowledged${alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ""}` : alert.state;
  return [...(regulated ? [] : [alert.what]), alert.severity, state, `${when} ${instantLabel(alert.createdAt, zone)}`].join(" · ");
}

function pairingLines(f: ResidentSummaryFigures): string {
  if (f.pairings.length === 0) return "None";
  return f.pairings
    .map((p) => {
      const until = p.plannedEndOn ? `, until ${dayLabel(p.plannedEndOn)}` : "";
      if (p.status === "proposed")
        return p.role === "newcomer" ? `${p.other} proposed, waiting for approval` : `Proposed as buddy to ${p.other}`;
      return p.role === "newcomer" ? `${p.other}${until}` : `Buddy to ${p.other}${until}`;
    })
    .join("\n");
}

/** The text of a resident summary; in regulated mode only statuses and counts. */
export function summaryText(f: ResidentSummaryFigures, options: { regulated: boolean }): ViewText {
  const { regulated } = options;
  const period = `Last ${SUMMARY_DAYS} days (${dayLabel(f.from)} to ${dayLabel(f.today)})`;
  const meetings = `Meetings: a meeting on ${f.meetings.meetingDays} of ${SUMMARY_DAYS} days · ${plural(f.meetings.went, '"went" answer')}, ${f.meetings.couldNot} "could not go"`;
  const strip = recentDaysLine(
    f.days.map((d) => ({ localDate: d.date, status: d.status, usedToday: regulated ? false : d.reportedUse })),
    f.today,
    SUMMARY_DAYS,
  );
  const lines = regulated
    ? [statusLine(f), `${period}: ${dayCounts(f.counts)}`, meetings, `Days: ${strip}`, REGULATED_NOTE]
    : [
        statusLine(f),
        sobrietyLine(f),
        `${period}: ${dayCounts(f.counts)}`,
        f.craving.average === null
          ? "Craving: no answers"
          : `Craving: average ${decimal(f.craving.average)} · highest ${f.craving.highest?.value} on ${dayLabel(f.craving.highest?.date ?? f.today)} · ${plural(f.craving.atOrAboveThreshold, "day")} at or above ${f.craving.threshold}`,
        f.mood.average === null
          ? "Mood: no answers"
          : `Mood: average ${decimal(f.mood.average)} · lowest ${f.mood.lowest?.value} on ${dayLabel(f.mood.lowest?.date ?? f.today)}`,
        f.reportedUseDays.length === 0
          ? "Reported use: none"
          : `Reported use: ${plural(f.reportedUseDays.length, "day")} (${f.reportedUseDays.map(dayLabel).join(", ")})`,
        meetings,
        `Days: ${strip}`,
      ];
  // The full legend explains ◆ (reported use), which regulated mode never draws.
  lines.push(regulated ? "● checked in  ○ missed  – excused  · no check-in (yet)" : RECENT_DAYS_LEGEND);

  const fields: ViewField[] = [
    {
      label: `Open alerts (${f.alerts.open.length})`,
      value: f.alerts.open.length ? f.alerts.open.map((a) => alertLine(a, f.zone, regulated, "since")).join("\n") : "None",
    },
  ];
  if (f.alerts.recent.length > 0) {
    fields.push({
      label: `Resolved in the last ${SUMMARY_DAYS} days (${f.alerts.recent.length})`,
      value: f.alerts.recent
        .slice(0, 5)
        .map((a) => alertLine(a, f.zone, regulated, "raised"))
        .join("\n"),
    });
  }
  fields.push({ label: "Buddy", value: pairingLines(f) }, { label: "Key counsellor", value: f.keyCounsellor ?? "Not set" });
  if (!regulated) {
    fields.push({
      label: "Next milestones",
      value: f.milestones.length
        ? f.milestones.map((m) => `${m.label} on ${dayLabel(m.date)} (in ${plural(m.daysAway, "day")})`).join("; ")
        : "None until a sobriety date is set",
    });
  }

  const checkins = `${f.counts.answered} check-ins, ${f.counts.missed} missed, ${f.counts.excused} excused`;
  const meetingDays = `meetings on ${plural(f.meetings.meetingDays, "day")}`;
  const altText = regulated
    ? `Chart of ${f.name}'s last ${SUMMARY_DAYS} days, ${dayLabel(f.from)} to ${dayLabel(f.today)}: one mark per day for check-ins (${checkins}) and for meetings (${meetingDays}).`
    : `Chart of ${f.name}'s last ${SUMMARY_DAYS} days, ${dayLabel(f.from)} to ${dayLabel(f.today)}. ` +
      `Craving line: average ${decimal(f.craving.average)}${f.craving.highest ? `, highest ${f.craving.highest.value}` : ""}. ` +
      `Mood line: average ${decimal(f.mood.average)}${f.mood.lowest ? `, lowest ${f.mood.lowest.value}` : ""}. ` +
      `Day marks: ${checkins}, ${plural(f.reportedUseDays.length, "day")} with reported use; ${meetingDays}.`;

  return { title: `${f.name}: resident summary`, text: lines.join("\n"), fields, altText };
}
