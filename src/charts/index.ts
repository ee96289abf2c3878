import type { TopLevelSpec } from "vega-lite";
import type { HouseDigestFigures, ResidentSummaryFigures } from "../domain/reports/index.ts";
import { DIGEST_FRAMES, digestChartSpec } from "./digestChart.ts";
import type { ChartFrame, ChartImage } from "./render.ts";
import { SUMMARY_FRAMES, summaryChartSpec } from "./summaryChart.ts";

export { DIGEST_FRAMES, digestChartSpec } from "./digestChart.ts";
export type { ChartFrame, ChartImage } from "./render.ts";
export { SUMMARY_FRAMES, summaryChartSpec } from "./summaryChart.ts";

/**
 * Vega, Vega-Lite and resvg take about half a second to load. Only a counsellor asking for a
 * chart should pay that, not every start of the bot (start-up is measured by `npm run bench`).
 */
const renderer = () => import("./render.ts");

export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  return (await renderer()).chartSvg(spec);
}

export async function renderChart(spec: TopLevelSpec, frame: ChartFrame): Promise<ChartImage> {
  return (await renderer()).renderChart(spec, frame);
}

/** A resident's last 28 days as a PNG; counts only draws no answer values. */
export function summaryChart(figures: ResidentSummaryFigures, options: { countsOnly: boolean }): Promise<ChartImage> {
  return renderChart(summaryChartSpec(figures, options), options.countsOnly ? SUMMARY_FRAMES.countsOnly : SUMMARY_FRAMES.full);
}

/** The house's last 14 days as a PNG; counts only draws no answer values. */
export function digestChart(figures: HouseDigestFigures, options: { countsOnly: boolean }): Promise<ChartImage> {
  return renderChart(digestChartSpec(figures, options), options.countsOnly ? DIGEST_FRAMES.countsOnly : DIGEST_FRAMES.full);
}
