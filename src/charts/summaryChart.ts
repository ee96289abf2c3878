import type { TopLevelSpec } from "vega-lite";
import { dayLabel, type ResidentSummaryFigures, SUMMARY_DAYS } from "../domain/reports/index.ts";
import type { ChartFrame } from "./render.ts";
import { COLOURS, CROSS_SHAPE, chartConfig, DASH_SHAPE, dayAxis, panelTitle } from "./theme.ts";

/**
 * A resident's last 28 days: craving and mood as lines, and a strip of day marks (checked in,
 * reported use, missed, excused) with the days they went to a meeting. Counts only leaves the
 * lines out and draws reported use as an ordinary check-in: the data it is drawn from then holds
 * no answer values at all.
 */

const PANEL_WIDTH = 640;

export const SUMMARY_FRAMES = {
  full: { width: 860, height: 570, scale: 2 },
  countsOnly: { width: 780, height: 230, scale: 2 },
} as const satisfies Record<string, ChartFrame>;

const MARKS = [
  { label: "Checked in", shape: "circle", colour: COLOURS.blue },
  { label: "Reported use", shape: "diamond", colour: COLOURS.vermillion },
  { label: "Missed", shape: CROSS_SHAPE, colour: COLOURS.orange },
  { label: "Excused", shape: DASH_SHAPE, colour: COLOURS.grey },
  { label: "Still open", shape: "circle", colour: COLOURS.lightGrey },
  { label: "Went to a meeting", shape: "triangle-up", colour: COLOURS.green },
] as const;

type MarkLabel = (typeof MARKS)[number]["label"];

const STATUS_MARK: Record<string, MarkLabel | null> = {
  answered: "Checked in",
  missed: "Missed",
  excused: "Excused",
  pending: "Still open",
  none: null,
};

/** One row per mark in the day strip: which row, which day, what it means. */
function dayMarks(f: ResidentSummaryFigures, countsOnly: boolean) {
  const rows: Array<{ date: string; row: string; mark: MarkLabel }> = [];
  for (const day of f.days) {
    const mark = !countsOnly && day.reportedUse ? "Reported use" : STATUS_MARK[day.status];
    if (mark) rows.push({ date: day.date, row: "Check-in", mark });
    if (day.meetingDay) rows.push({ date: day.date, row: "Meeting", mark: "Went to a meeting" });
  }
  return rows;
}

export function summaryChartSpec(f: ResidentSummaryFigures, options: { countsOnly: boolean }): TopLevelSpec {
  const dates = f.days.map((d) => d.date);
  const used = new Set(dayMarks(f, options.countsOnly).map((r) => r.mark));
  const marks = MARKS.filter((m) => used.has(m.label));
  const strip = {
    title: panelTitle(options.countsOnly ? "Check-ins and meetings" : "Check-ins and meetings (one mark per day)"),
    width: PANEL_WIDTH,
    height: 64,
    data: { values: dayMarks(f, options.countsOnly) },
    mark: { type: "point" as const, filled: true, size: 150, opacity: 1 },
    encoding: {
      x: dayAxis(dates, { labels: true, labelEvery: 7 }),
      y: { field: "row", type: "nominal" as const, sort: ["Check-in", "Meeting"], scale: { domain: ["Check-in", "Meeting"] }, title: null },
      shape: { field: "mark", type: "nominal" as const, scale: { domain: marks.map((m) => m.label), range: marks.map((m) => m.shape) } },
      color: {
        field: "mark",
        type: "nominal" as const,
        scale: { domain: marks.map((m) => m.label), range: marks.map((m) => m.colour) },
        legend: { columns: 3, columnPadding: 24 },
      },
    },
  };
  const subtitle = `${dayLabel(f.from)} to ${dayLabel(f.today)}`;
  if (options.countsOnly) {
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      config: chartConfig,
      title: { text: `${f.name}: last ${SUMMARY_DAYS} days`, subtitle },
      vconcat: [strip],
    };
  }
  const answers = f.days.map((d) => ({ date: d.date, craving: d.craving, mood: d.mood }));
  const line = (colour: string) => ({
    type: "line" as const,
    color: colour,
    strokeWidth: 2.5,
    point: { filled: true, size: 50, color: colour },
    // A day with no answer breaks the line rather than joining its neighbours.
    invalid: "break-paths-show-domains" as const,
  });
  // Every layer states the same scale and axis, or the threshold's layer would draw the axis its own way.
  const cravingScale = { scale: { domain: [0, 10] }, axis: { values: [0, 2, 4, 6, 8, 10], labelOverlap: false, title: null } };
  const craving = {
    title: panelTitle("Craving (0 to 10)"),
    width: PANEL_WIDTH,
    height: 150,
    data: { values: answers },
    layer: [
      {
        mark: line(COLOURS.vermillion),
        encoding: {
          x: dayAxis(dates, { labels: false, labelEvery: 7 }),
          y: { field: "craving", type: "quantitative" as const, ...cravingScale },
        },
      },
      {
        data: { values: [{ threshold: f.craving.threshold, label: `alert at ${f.craving.threshold}` }] },
        layer: [
          {
            mark: { type: "rule" as const, strokeDash: [5, 4], color: COLOURS.grey },
            encoding: { y: { field: "threshold", type: "quantitative" as const, ...cravingScale } },
          },
          {
            mark: {
              type: "text" as const,
              align: "left" as const,
              baseline: "middle" as const,
              x: PANEL_WIDTH + 6,
              fontSize: 11,
              color: "#555555",
            },
            encoding: {
              y: { field: "threshold", type: "quantitative" as const, ...cravingScale },
              text: { field: "label", type: "nominal" as const },
            },
          },
        ],
      },
    ],
  };
  const mood = {
    title: panelTitle("Mood (1 to 5)"),
    width: PANEL_WIDTH,
    height: 100,
    data: { values: answers },
    mark: line(COLOURS.blue),
    encoding: {
      x: dayAxis(dates, { labels: false, labelEvery: 7 }),
      y: {
        field: "mood",
        type: "quantitative" as const,
        scale: { domain: [1, 5] },
        axis: { values: [1, 2, 3, 4, 5], labelOverlap: false, title: null },
      },
    },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: chartConfig,
    title: { text: `${f.name}: last ${SUMMARY_DAYS} days`, subtitle },
    vconcat: [craving, mood, strip],
  };
}
