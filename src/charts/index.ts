import type { TopLevelSpec } from "vega-lite";
import type { HouseDigestFigures, ResidentSummaryFigures } from "../domain/reports/index.ts";
import { DIGEST_FRAMES, digestChartSpec } from "./digestChart.ts";
import { drawPng, drawSvg } from "./drawing.ts";
import type { ChartFrame, ChartImage } from "./render.ts";
import { SUMMARY_FRAMES, summaryChartSpec } from "./summaryChart.ts";

export { DIGEST_FRAMES, digestChartSpec } from "./digestChart.ts";
export { CHART_THREAD_IDLE_MS, chartThreadRunning } from "./drawing.ts";
export type { ChartFrame, ChartImage } from "./render.ts";
export { SUMMARY_FRAMES, summaryChartSpec } from "./summaryChart.ts";

/**
 * Vega, Vega-Lite and resvg take about half a second to load, and are never loaded on the bot's
 * own thread: charts are drawn on a thread of their own, started when a counsellor first needs a
 * chart and ended when none has been needed for a while (drawing.ts). Start-up never pays for
 * them (it is measured by `npm run bench`).
 */
export function chartSvg(spec: TopLevelSpec): Promise<string> {
  return drawSvg(spec);
}

export function renderChart(spec: TopLevelSpec, frame: ChartFrame): Promise<ChartImage> {
  return drawPng(spec, frame);
}

/** A resident's last 28 days as a PNG; counts only draws no answer values. */
export function summaryChart(figures: ResidentSummaryFigures, options: { countsOnly: boolean }): Promise<ChartImage> {
  return renderChart(summaryChartSpec(figures, options), options.countsOnly ? SUMMARY_FRAMES.countsOnly : SUMMARY_FRAMES.full);
}

/** The house's last 14 days as a PNG; counts only draws no answer values. */
export function digestChart(figures: HouseDigestFigures, options: { countsOnly: boolean }): Promise<ChartImage> {
  return renderChart(digestChartSpec(figures, options), options.countsOnly ? DIGEST_FRAMES.countsOnly : DIGEST_FRAMES.full);
}
