import { Worker } from "node:worker_threads";

/** What a platform thread answers to each request, matched by the request's id. */
export type WorkerResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** A request without the id this class adds. */
export type WithoutId<R> = R extends { id: number } ? Omit<R, "id"> : never;

/**
 * A benchmark's platform double on a thread of its own (the platform's CPU is not the bot's),
 * asked by message: each request carries an id, and the thread answers with a WorkerResponse.
 */
export class PlatformWorker<Request extends { id: number }> {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;

  /** `entry`: the thread's module, e.g. `new URL("./answersPlatformThread.ts", import.meta.url)`. */
  constructor(entry: URL) {
    // A worker does not inherit tsx's loader for its entry file, so it registers tsx itself first.
    this.worker = new Worker(
      `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`,
      {
        eval: true,
      },
    );
    this.worker.on("message", (response: WorkerResponse) => {
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

  ask<T>(request: WithoutId<Request>): Promise<T> {
    this.nextId += 1;
    const id = this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: (value) => resolve(value as T), reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Asks the thread to close its double, then ends the thread. */
  async close(request: WithoutId<Request>): Promise<void> {
    await this.ask(request);
    await this.worker.terminate();
  }
}
