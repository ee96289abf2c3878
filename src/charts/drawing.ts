import { Worker } from "node:worker_threads";
import type { TopLevelSpec } from "vega-lite";
import type { ChartFrame, ChartImage } from "./render.ts";
import type { ChartRequest, ChartResponse } from "./worker.ts";

/**
 * Charts are drawn on a thread of their own, started when the first chart is asked for and ended
 * once none has been asked for in a while. Vega, Vega-Lite and resvg are about 40 MB of code and
 * data, and drawing a chart of a few megapixels leaves native memory behind that the allocator
 * keeps; a bot draws charts in bursts (the morning digests, a counsellor's summary), so between
 * bursts that memory is given back instead of held all day. The thread takes about half a second
 * to start, which the first chart of a burst waits for, as it waited for the modules to load when
 * charts were drawn on the bot's own thread.
 */

/** The thread ends after this long without a chart to draw. */
export const CHART_THREAD_IDLE_MS = 20_000;

type Pending = { worker: Worker; resolve(response: ChartResponse): void; reject(error: Error): void };

let thread: Worker | null = null;
/** Threads started and not yet exited: one, or briefly two while an idle one ends as a burst starts. */
let live = 0;
const pending = new Map<number, Pending>();
let nextId = 0;
let idleTimer: NodeJS.Timeout | null = null;

/**
 * The thread's module. Run from TypeScript (tsx, vitest), a worker does not inherit the loader, so
 * it registers tsx itself first; run from the build `npm start` makes (src/launch.mjs), the thread
 * is the build's `chart-worker.js` entry, beside this module's code.
 */
function startThread(): Worker {
  const source = import.meta.url.endsWith(".ts");
  const worker = source
    ? new Worker(
        `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(new URL("./worker.ts", import.meta.url).href)}); });`,
        { eval: true },
      )
    : new Worker(new URL("./chart-worker.js", import.meta.url));
  live += 1;
  worker.on("message", (response: ChartResponse) => {
    const waiter = pending.get(response.id);
    pending.delete(response.id);
    waiter?.resolve(response);
    if (!waitedOn(worker)) idle(worker);
  });
  // Only this thread's requests fail with it: an idle thread may still be ending as the next one starts.
  const fail = (error: Error) => {
    if (thread === worker) thread = null;
    for (const [id, waiter] of pending) {
      if (waiter.worker !== worker) continue;
      pending.delete(id);
      waiter.reject(error);
    }
  };
  worker.on("error", fail);
  worker.on("exit", (code) => {
    live -= 1;
    fail(new Error(`the chart thread exited (${code})`));
  });
  return worker;
}

function waitedOn(worker: Worker): boolean {
  for (const waiter of pending.values()) if (waiter.worker === worker) return true;
  return false;
}

/** Nothing left to draw: the thread no longer keeps the process alive, and ends if nothing comes. */
function idle(worker: Worker): void {
  worker.unref();
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (thread === worker && !waitedOn(worker)) {
      thread = null;
      void worker.terminate();
    }
  }, CHART_THREAD_IDLE_MS);
  idleTimer.unref();
}

function ask(request: ChartRequest): Promise<ChartResponse> {
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = null;
  }
  thread ??= startThread();
  // A chart being drawn keeps the process alive, as it would on the bot's own thread.
  thread.ref();
  const worker = thread;
  return new Promise((resolve, reject) => {
    pending.set(request.id, { worker, resolve, reject });
    worker.postMessage(request);
  });
}

function failed(response: ChartResponse): Error {
  return new Error(`chart drawing failed: ${"message" in response ? response.message : "unexpected answer"}`);
}

export async function drawPng(spec: TopLevelSpec, frame: ChartFrame): Promise<ChartImage> {
  nextId += 1;
  const response = await ask({ id: nextId, kind: "png", spec, frame });
  if (!response.ok || !("png" in response)) throw failed(response);
  return {
    png: Buffer.from(response.png.buffer, response.png.byteOffset, response.png.byteLength),
    width: response.width,
    height: response.height,
  };
}

export async function drawSvg(spec: TopLevelSpec): Promise<string> {
  nextId += 1;
  const response = await ask({ id: nextId, kind: "svg", spec });
  if (!response.ok || !("svg" in response)) throw failed(response);
  return response.svg;
}

/** True until the chart thread has ended: while it draws, while it waits for more, and while it exits. */
export function chartThreadRunning(): boolean {
  return live > 0;
}
