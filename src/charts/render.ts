import { Resvg } from "@resvg/resvg-js";
import { parse, type Spec, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { fontFiles } from "./fonts.ts";
import { FONT_FAMILY } from "./theme.ts";

/**
 * Vega-Lite spec -> Vega -> SVG (vega's headless "none" renderer) -> PNG (resvg, a prebuilt
 * Rust rasteriser). No browser, no canvas, no system fonts: the same spec gives the same pixels
 * on any machine.
 */

export interface ChartFrame {
  /** The image's size in CSS pixels; the PNG is `scale` times larger for sharp text on phones. */
  width: number;
  height: number;
  scale: number;
}

export interface ChartImage {
  png: Buffer;
  /** The PNG's size in pixels. */
  width: number;
  height: number;
}

let fonts: string[] | null = null;

/** Vega-Lite to an SVG string. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec as Spec;
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Sets the SVG's outer size to the frame, keeping vega's own viewBox, so the chart is scaled to
 * fit and centred: the image always has the frame's size, whatever the text measured.
 */
export function fitToFrame(svg: string, frame: ChartFrame): string {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (!open) throw new Error("not an SVG document");
  const tag = open[0]
    .replace(/\swidth="[^"]*"/, ` width="${frame.width}"`)
    .replace(/\sheight="[^"]*"/, ` height="${frame.height}"`)
    .replace(/>$/, ' preserveAspectRatio="xMidYMid meet">');
  return tag + svg.slice(open[0].length);
}

function draw(svg: string, frame: ChartFrame) {
  fonts ??= fontFiles();
  return new Resvg(fitToFrame(svg, frame), {
    background: "white",
    fitTo: { mode: "zoom", value: frame.scale },
    font: { fontFiles: fonts, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    shapeRendering: 2,
    textRendering: 1,
  }).render();
}

/** Rasterises an SVG to PNG on white, at the frame's size times its scale. */
export function rasterise(svg: string, frame: ChartFrame): ChartImage {
  const rendered = draw(svg, frame);
  return { png: rendered.asPng(), width: rendered.width, height: rendered.height };
}

/**
 * The same, with the image as RGBA bytes, row by row, before PNG encoding: for checking the
 * encoding. The bot never asks for them (a copy of several megabytes per chart).
 */
export function rasteriseWithPixels(svg: string, frame: ChartFrame): ChartImage & { pixels: Buffer } {
  const rendered = draw(svg, frame);
  return { png: rendered.asPng(), width: rendered.width, height: rendered.height, pixels: rendered.pixels };
}

/** A Vega-Lite chart as a PNG of exactly the frame's size. */
export async function renderChart(spec: TopLevelSpec, frame: ChartFrame): Promise<ChartImage> {
  return rasterise(await chartSvg(spec), frame);
}
