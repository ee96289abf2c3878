import { Worker } from "node:worker_threads";
import type { Injected, PlannedPress, PlatformSetup, Replies, Request, Response, Started } from "./answersProtocol.ts";

type Ask = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** The platform thread, seen from the bot's thread: a double and its residents, asked by message. */
export class PlatformThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;

  constructor() {
    // A worker does not inherit tsx's loader for its entry file, so it registers tsx itself first.
    const entry = new URL("./answersPlatformThread.ts", import.meta.url).href;
    this.worker = new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, {
      eval: true,
    });
    this.worker.on("message", (response: Response) => {
      const waiter = this.waiting.get(response.id);
      this.waiting.delete(response.id);
      if (response.ok) waiter?.resolve(response.result);
      else waiter?.reject(new Error(`platform thread: ${response.error}`));
    });
    this.worker.on("error", (error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    });
  }

  private ask<T>(request: Ask): Promise<T> {
    this.nextId += 1;
    const id = this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: (value) => resolve(value as T), reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  start(setup: PlatformSetup): Promise<Started> {
    return this.ask({ kind: "start", setup });
  }

  /** Presses every button at `perSecond`, then waits for the acknowledgements. */
  inject(presses: PlannedPress[], perSecond: number): Promise<Injected> {
    return this.ask({ kind: "inject", presses, perSecond });
  }

  replies(): Promise<Replies> {
    return this.ask({ kind: "replies" });
  }

  async close(): Promise<void> {
    await this.ask({ kind: "close" });
    await this.worker.terminate();
  }
}
