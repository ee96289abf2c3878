import { Worker } from "node:worker_threads";
import type { DoubleGuild } from "../../test/support/discordDouble/server.ts";
import type { PostingLimits } from "../../test/support/slackDouble/slackDouble.ts";
import type { Arrival } from "./dispatchHouse.ts";

/** The platform double the dispatch benchmark sends to, run on a thread of its own (see dispatchPlatformThread.ts). */

export type PlatformSpec =
  | { platform: "discord"; guild: DoubleGuild; perSecond: number }
  | { platform: "slack"; teamId: string; limits: PostingLimits };

export interface PlatformTally {
  /** Posts to channels, in arrival order. */
  arrivals: Arrival[];
  /** Requests made for prompts that were not posts (opening DM channels). */
  extraRequests: number;
  /** 429s the double answered because a limit was exceeded. */
  rateLimited: number;
}

export type PlatformRequest =
  | { id: number; kind: "start"; spec: PlatformSpec }
  | { id: number; kind: "delivered" }
  | { id: number; kind: "tally" }
  | { id: number; kind: "close" };

export type PlatformResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

type Ask = PlatformRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

export class PlatformThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;

  constructor() {
    // A worker does not inherit tsx's loader for its entry file, so it registers tsx itself first.
    const entry = new URL("./dispatchPlatformThread.ts", import.meta.url).href;
    this.worker = new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, {
      eval: true,
    });
    this.worker.on("message", (response: PlatformResponse) => {
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

  start(spec: PlatformSpec): Promise<{ apiUrl: string; token: string }> {
    return this.ask({ kind: "start", spec });
  }

  /** Messages the double has accepted so far, alerts included. */
  delivered(): Promise<number> {
    return this.ask({ kind: "delivered" });
  }

  tally(): Promise<PlatformTally> {
    return this.ask({ kind: "tally" });
  }

  async close(): Promise<void> {
    await this.ask({ kind: "close" });
    await this.worker.terminate();
  }
}
