import { parentPort } from "node:worker_threads";
import type { TopLevelSpec } from "vega-lite";
import { type ChartFrame, chartSvg, renderChart } from "./render.ts";

/**
 * The chart thread (see drawing.ts): draws what the bot's thread asks for, one chart at a time,
 * and answers each request by its id. Vega, Vega-Lite and resvg live only here, so their code and
 * the memory a drawing takes go when the thread ends.
 */

export type ChartRequest =
  | { id: number; kind: "png"; spec: TopLevelSpec; frame: ChartFrame }
  | { id: number; kind: "svg"; spec: TopLevelSpec };

export type ChartResponse =
  | { id: number; ok: true; png: Uint8Array; width: number; height: number }
  | { id: number; ok: true; svg: string }
  | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error("src/charts/worker.ts runs as a worker thread");

async function answer(request: ChartRequest): Promise<{ response: ChartResponse; transfer: ArrayBuffer[] }> {
  try {
    if (request.kind === "svg") return { response: { id: request.id, ok: true, svg: await chartSvg(request.spec) }, transfer: [] };
    const image = await renderChart(request.spec, request.frame);
    // A copy of the PNG in memory of its own, so it moves to the bot's thread instead of being copied again.
    const png = new Uint8Array(image.png);
    return { response: { id: request.id, ok: true, png, width: image.width, height: image.height }, transfer: [png.buffer] };
  } catch (error) {
    return { response: { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }, transfer: [] };
  }
}

let queue = Promise.resolve();
port.on("message", (request: ChartRequest) => {
  queue = queue.then(async () => {
    const { response, transfer } = await answer(request);
    try {
      port.postMessage(response, transfer);
    } catch (error) {
      // Every request is answered, or the chart's caller would wait for ever.
      port.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  });
});
