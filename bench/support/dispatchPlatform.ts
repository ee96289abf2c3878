import type { DoubleGuild } from "../../test/support/discordDouble/server.ts";
import type { PostingLimits } from "../../test/support/slackDouble/slackDouble.ts";
import type { Arrival } from "./dispatchHouse.ts";
import { PlatformWorker } from "./platformWorker.ts";

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

export type { WorkerResponse as PlatformResponse } from "./platformWorker.ts";

export class PlatformThread {
  private readonly thread = new PlatformWorker<PlatformRequest>(new URL("./dispatchPlatformThread.ts", import.meta.url));

  start(spec: PlatformSpec): Promise<{ apiUrl: string; token: string }> {
    return this.thread.ask({ kind: "start", spec });
  }

  /** Messages the double has accepted so far, alerts included. */
  delivered(): Promise<number> {
    return this.thread.ask({ kind: "delivered" });
  }

  tally(): Promise<PlatformTally> {
    return this.thread.ask({ kind: "tally" });
  }

  async close(): Promise<void> {
    await this.thread.close({ kind: "close" });
  }
}
