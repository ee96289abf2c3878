import type { Injected, PlannedPress, PlatformSetup, Replies, Request, Started } from "./answersProtocol.ts";
import { PlatformWorker } from "./platformWorker.ts";

/** The platform thread, seen from the bot's thread: a double and its residents, asked by message. */
export class PlatformThread {
  private readonly thread = new PlatformWorker<Request>(new URL("./answersPlatformThread.ts", import.meta.url));

  start(setup: PlatformSetup): Promise<Started> {
    return this.thread.ask({ kind: "start", setup });
  }

  /** Presses every button at `perSecond`, then waits for the acknowledgements. */
  inject(presses: PlannedPress[], perSecond: number): Promise<Injected> {
    return this.thread.ask({ kind: "inject", presses, perSecond });
  }

  replies(): Promise<Replies> {
    return this.thread.ask({ kind: "replies" });
  }

  async close(): Promise<void> {
    await this.thread.close({ kind: "close" });
  }
}
