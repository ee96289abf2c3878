import type { TopLevelSpec } from "vega-lite";
import { DIGEST_TREND_DAYS, dayLabel, type HouseDigestFigures } from "../domain/reports/index.ts";
import type { ChartFrame } from "./render.ts";
import { COLOURS, chartConfig, dayAxis, panelTitle } from "./theme.ts";

/**
 * The house over the last 14 days: check-ins per day as stacked bars, the house's average
 * craving and mood as lines, and meetings attended per day. Counts only (regulated mode and the
 * staff channel) keeps the bars and leaves the averages out of the chart and its data.
 */

const PANEL_WIDTH = 640;

export const DIGEST_FRAMES = {
  full: { width: 710, height: 740, scale: 2 },
  countsOnly: { width: 710, height: 440, scale: 2 },
} as const satisfies Record<string, ChartFrame>;

const STATUSES = [
  { key: "answered", label: "Checked in", colour: COLOURS.blue },
  { key: "missed", label: "Missed", colour: COLOURS.orange },
  { key: "excused", label: "Excused", colour: COLOURS.grey },
  { key: "pending", label: "Still open", colour: COLOURS.lightGrey },
] as const;

const countAxis = { title: null, tickMinStep: 1, format: "d" };

export function digestChartSpec(f: HouseDigestFigures, options: { countsOnly: boolean }): TopLevelSpec {
  const days = f.trend.days;
  const dates = days.map((d) => d.date);
  const statuses = STATUSES.filter((s) => s.key !== "pending" || days.some((d) => d.pending > 0));
  const checkins = {
    title: panelTitle("Check-ins per day"),
    width: PANEL_WIDTH,
    height: 150,
    data: {
      values: days.flatMap((d) => statuses.map((s, order) => ({ date: d.date, status: s.label, order, count: d[s.key] }))),
    },
    mark: { type: "bar" as const },
    encoding: {
      x: dayAxis(dates, { labels: true, labelEvery: 1 }),
      y: { field: "count", type: "quantitative" as const, stack: "zero" as const, axis: countAxis },
      color: {
        field: "status",
        type: "nominal" as const,
        scale: { domain: statuses.map((s) => s.label), range: statuses.map((s) => s.colour) },
        legend: { orient: "top" as const },
      },
      order: { field: "order", type: "quantitative" as const },
    },
  };
  const meetings = {
    title: panelTitle("Meetings attended"),
    width: PANEL_WIDTH,
    height: 80,
    data: { values: days.map((d) => ({ date: d.date, went: d.meetingsWent })) },
    mark: { type: "bar" as const, color: COLOURS.green },
    encoding: {
      x: dayAxis(dates, { labels: true, labelEvery: 1 }),
      y: { field: "went", type: "quantitative" as const, axis: countAxis },
    },
  };
  const title = {
    text: `${f.houseName}: last ${DIGEST_TREND_DAYS} days`,
    subtitle: `${dayLabel(dates[0] ?? f.yesterday)} to ${dayLabel(f.yesterday)}`,
  };
  if (options.countsOnly) {
    return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", config: chartConfig, title, vconcat: [checkins, meetings] };
  }
  const averages = days.map((d) => ({ date: d.date, craving: d.cravingAverage, mood: d.moodAverage }));
  const line = (title: string, field: "craving" | "mood", colour: string, ticks: number[], height: number) => ({
    title: panelTitle(title),
    width: PANEL_WIDTH,
    height,
    data: { values: averages },
    mark: {
      type: "line" as const,
      color: colour,
      strokeWidth: 2.5,
      point: { filled: true, size: 50, color: colour },
      invalid: "break-paths-show-domains" as const,
    },
    encoding: {
      x: dayAxis(dates, { labels: false, labelEvery: 1 }),
      y: {
        field,
        type: "quantitative" as const,
        scale: { domain: [ticks[0] ?? 0, ticks.at(-1) ?? 0] },
        axis: { title: null, labelOverlap: false, values: ticks },
      },
    },
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: chartConfig,
    title,
    vconcat: [
      checkins,
      line("House average craving (0 to 10)", "craving", COLOURS.vermillion, [0, 2, 4, 6, 8, 10], 110),
      line("House average mood (1 to 5)", "mood", COLOURS.blue, [1, 2, 3, 4, 5], 90),
      meetings,
    ],
  };
}
