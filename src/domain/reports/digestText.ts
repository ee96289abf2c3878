import type { PairingFacts } from "./facts.ts";
import { ageLabel, change, dayLabel, decimal, nameList, plural } from "./format.ts";
import { DIGEST_TREND_DAYS, type HouseDigestFigures } from "./houseDigest.ts";
import { REGULATED_NOTE, type ViewField, type ViewText } from "./summaryText.ts";

/** At most this many alerts are listed one by one; the rest are counted. */
const ALERTS_LISTED = 8;

/**
 * Who the digest is for. A counsellor's DM names residents (answer values only outside regulated
 * mode); the staff channel copy is counts only, names no one and quotes no answer.
 */
export type DigestAudience = { kind: "counsellor"; regulated: boolean } | { kind: "staffChannel" };

function checkinLine(f: HouseDigestFigures): string {
  const c = f.checkins;
  const parts = [`${c.answered.length} checked in`, `${c.missed.length} missed`, `${c.excused.length} excused`];
  if (c.pending.length > 0) parts.push(`${c.pending.length} still open`);
  if (c.notDue.length > 0) parts.push(`${c.notDue.length} not due`);
  return `Check-ins for ${dayLabel(f.yesterday)}: ${parts.join(", ")} (${plural(f.residentCount, "resident")})`;
}

function alertsLine(f: HouseDigestFigures): string {
  const a = f.alerts;
  if (a.total === 0) return "Open alerts: none";
  const age = a.byAge;
  return `Open alerts: ${a.total} (${a.open} open, ${a.acknowledged} acknowledged) · ${age.underADay} under a day, ${age.oneToThreeDays} for 1-3 days, ${age.overThreeDays} over 3 days`;
}

function trendLine(label: string, pair: HouseDigestFigures["trend"]["craving"]): string {
  const moved = change(pair.previous7, pair.last7);
  return `${label}: ${decimal(pair.yesterday)} yesterday · ${decimal(pair.last7)} over 7 days${moved ? ` (${moved} on the week before, ${decimal(pair.previous7)})` : ""}`;
}

function meetingsLine(f: HouseDigestFigures): string {
  const y = f.meetings.yesterday;
  const extra = [y.couldNot ? `${y.couldNot} could not go` : null, y.excused ? `${y.excused} excused` : null].filter(Boolean);
  return `Meetings: ${y.went} went yesterday${extra.length ? `, ${extra.join(", ")}` : ""} · ${f.meetings.last7Went} in the last 7 days`;
}

function pairingsLine(f: HouseDigestFigures): string {
  const p = f.pairings;
  return `Pairings: ${p.started.length} new, ${p.ended.length} ended, ${p.endingThisWeek.length} ending this week, ${p.awaitingApproval.length} waiting for approval`;
}

const pair = (p: PairingFacts) => `${p.newcomer} with ${p.buddy}`;

function pairingDetails(f: HouseDigestFigures): string | null {
  const p = f.pairings;
  const lines = [
    ...p.started.map((x) => `New: ${pair(x)}${x.plannedEndOn ? `, until ${dayLabel(x.plannedEndOn)}` : ""}`),
    ...p.ended.map((x) => `Ended: ${pair(x)}${x.endReason ? ` (${x.endReason.replace(/_/g, " ")})` : ""}`),
    ...p.endingThisWeek.map((x) => `Ending: ${pair(x)} on ${dayLabel(x.plannedEndOn ?? f.date)}`),
    ...p.awaitingApproval.map((x) => `Waiting for approval: ${pair(x)}`),
  ];
  return lines.length ? lines.join("\n") : null;
}

/** The digest as text for one audience; the chart's alt text goes with it. */
export function digestText(f: HouseDigestFigures, audience: DigestAudience): ViewText {
  const counts = audience.kind === "staffChannel";
  const regulated = audience.kind === "staffChannel" || audience.regulated;
  const lines = [checkinLine(f), alertsLine(f)];
  if (!regulated) lines.push(trendLine("House craving average", f.trend.craving), trendLine("House mood average", f.trend.mood));
  lines.push(meetingsLine(f), pairingsLine(f), `Milestones this week: ${f.milestones.length}`);
  if (counts) lines.push("Names and details are in each counsellor's direct message.");
  else if (regulated) lines.push(REGULATED_NOTE);

  const fields: ViewField[] = [];
  if (!counts) {
    const c = f.checkins;
    fields.push(
      { label: `Checked in (${c.answered.length})`, value: nameList(c.answered) },
      { label: `Missed (${c.missed.length})`, value: nameList(c.missed) },
      { label: `Excused (${c.excused.length})`, value: nameList(c.excused) },
    );
    if (c.pending.length) fields.push({ label: `Still open (${c.pending.length})`, value: nameList(c.pending) });
    if (c.notDue.length) fields.push({ label: `Not due: paused or new (${c.notDue.length})`, value: nameList(c.notDue) });
    if (!regulated && f.reportedUse.length) fields.push({ label: "Reported use yesterday", value: nameList(f.reportedUse) });
    if (!regulated && f.highCraving.length)
      fields.push({ label: `Craving ${f.trend.threshold} or more yesterday`, value: nameList(f.highCraving) });
    if (f.alerts.total > 0) {
      const listed = f.alerts.list.slice(0, ALERTS_LISTED).map((a) => {
        const state = a.state === "acknowledged" && a.acknowledgedBy ? `acknowledged by ${a.acknowledgedBy}` : a.state;
        return [`${a.subject}: ${regulated ? a.severity : `${a.what} · ${a.severity}`}`, state, ageLabel(a.ageHours)].join(" · ");
      });
      if (f.alerts.total > ALERTS_LISTED) listed.push(`and ${f.alerts.total - ALERTS_LISTED} more: /alerts lists them all`);
      fields.push({ label: "Open alerts, oldest first", value: listed.join("\n") });
    }
    const pairings = pairingDetails(f);
    if (pairings) fields.push({ label: "Pairings", value: pairings });
    if (!regulated && f.milestones.length)
      fields.push({
        label: "Milestones this week",
        value: f.milestones.map((m) => `${m.name}: ${m.label} on ${dayLabel(m.date)}`).join("\n"),
      });
  }

  const days = f.trend.days;
  const lastDay = days.at(-1);
  const status = lastDay ? `${lastDay.answered} checked in, ${lastDay.missed} missed, ${lastDay.excused} excused` : "no check-ins";
  const period = `the last ${DIGEST_TREND_DAYS} days, ${dayLabel(days[0]?.date ?? f.yesterday)} to ${dayLabel(f.yesterday)}`;
  const altText = regulated
    ? `Chart of ${period} for ${f.houseName}: check-ins per day as stacked bars (yesterday ${status}) and meetings attended per day (${f.meetings.last7Went} in the last 7 days).`
    : `Chart of ${period} for ${f.houseName}: check-ins per day as stacked bars (yesterday ${status}); ` +
      `house average craving (${decimal(f.trend.craving.last7)} over 7 days, ${decimal(f.trend.craving.previous7)} the week before) ` +
      `and mood (${decimal(f.trend.mood.last7)}, ${decimal(f.trend.mood.previous7)} the week before) as lines; ` +
      `meetings attended per day (${f.meetings.last7Went} in the last 7 days).`;

  return { title: `${f.houseName} digest · ${dayLabel(f.date)}`, text: lines.join("\n"), fields, altText };
}
