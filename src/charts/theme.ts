import type { TopLevelSpec } from "vega-lite";

/**
 * One look for every chart: DejaVu Sans (bundled, so a chart renders the same on any machine),
 * white background, large enough type to read on a phone, and the Okabe-Ito palette, which stays
 * distinguishable with the common forms of colour blindness. Every colour is paired with a shape
 * or a position, so nothing depends on colour alone.
 */

export const FONT_FAMILY = "DejaVu Sans";

export const COLOURS = {
  blue: "#0072B2",
  vermillion: "#D55E00",
  orange: "#E69F00",
  green: "#009E73",
  sky: "#56B4E9",
  grey: "#8C8C8C",
  lightGrey: "#C8C8C8",
  ink: "#222222",
} as const;

/** A bold "X" for missed days: point shapes may be SVG paths in a unit square. */
export const CROSS_SHAPE = "M-1,-0.7L-0.7,-1L0,-0.3L0.7,-1L1,-0.7L0.3,0L1,0.7L0.7,1L0,0.3L-0.7,1L-1,0.7L-0.3,0Z";
/** A short bar for excused days. */
export const DASH_SHAPE = "M-1,-0.3H1V0.3H-1Z";

export const chartConfig: NonNullable<TopLevelSpec["config"]> = {
  font: FONT_FAMILY,
  background: "white",
  padding: 16,
  view: { stroke: null },
  title: { fontSize: 18, subtitleFontSize: 13, anchor: "start", color: COLOURS.ink, subtitleColor: "#555555", offset: 12 },
  axis: {
    labelFontSize: 12,
    titleFontSize: 12,
    labelColor: "#444444",
    titleColor: "#444444",
    gridColor: "#E6E6E6",
    domainColor: "#888888",
  },
  legend: {
    labelFontSize: 12,
    titleFontSize: 12,
    labelLimit: 300,
    symbolSize: 120,
    orient: "bottom",
    direction: "horizontal",
    title: null,
  },
  header: { labelFontSize: 12 },
  concat: { spacing: 18 },
};

/** A panel's heading inside a stacked chart. */
export function panelTitle(text: string) {
  // Anchored to the plotting area, so every panel's heading starts where its days start.
  return {
    text,
    fontSize: 13,
    fontWeight: "bold" as const,
    anchor: "start" as const,
    frame: "group" as const,
    offset: 6,
    color: COLOURS.ink,
  };
}

/**
 * The shared day axis: a band per day, every panel with the same domain so the days line up,
 * labelled "4 Jan". Lines and points sit in the middle of their band.
 */
export function dayAxis(dates: readonly string[], options: { labels: boolean; labelEvery: number }) {
  const labelled = dates.filter((_, i) => (dates.length - 1 - i) % options.labelEvery === 0);
  return {
    field: "date",
    type: "ordinal" as const,
    scale: { type: "band" as const, domain: [...dates], paddingInner: 0.2, paddingOuter: 0.1 },
    bandPosition: 0.5,
    title: null,
    axis: options.labels
      ? { values: labelled, labelAngle: 0, labelExpr: "utcFormat(toDate(datum.value), '%-d %b')", ticks: false, domain: true }
      : { labels: false, ticks: false, domain: false },
  };
}
