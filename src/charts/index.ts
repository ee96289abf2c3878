import type { HouseDigestFigures, ResidentSummaryFigures } from "../domain/reports/index.ts";
import { DIGEST_FRAMES, digestChartSpec } from "./digestChart.ts";
import { type ChartImage, renderChart } from "./render.ts";
import { SUMMARY_FRAMES, summaryChartSpec } from "./summaryChart.ts";

export { DIGEST_FRAMES, digestChartSpec } from "./digestChart.ts";
export { type ChartFrame, type ChartImage, chartSvg, rasterise, renderChart } from "./render.ts";
export { SUMMARY_FRAMES, summaryChartSpec } from "./summaryChart.ts";

/** A resident's last 28 days as a PNG; counts only draws no answer values. */
export function summaryChart(figures: ResidentSummaryFigures, options: { countsOnly: boolean }): Promise<ChartImage> {
  return renderChart(summaryChartSpec(figures, options), options.countsOnly ? SUMMARY_FRAMES.countsOnly : SUMMARY_FRAMES.full);
}

/** The house's last 14 days as a PNG; counts only draws no answer values. */
export function digestChart(figures: HouseDigestFigures, options: { countsOnly: boolean }): Promise<ChartImage> {
  return renderChart(digestChartSpec(figures, options), options.countsOnly ? DIGEST_FRAMES.countsOnly : DIGEST_FRAMES.full);
}
