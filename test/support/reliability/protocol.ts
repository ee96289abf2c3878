import type { InboundEvent } from "../../../src/core/events.ts";

/** What a test asks a worker process to do, over the Node IPC channel. `now` sets the worker's clock first. */
export type WorkerCommand =
  | { id: number; type: "sweep"; now: string }
  | { id: number; type: "deliver"; now: string }
  | { id: number; type: "inbound"; now: string; event: InboundEvent }
  | { id: number; type: "stop" };

export interface DeliverTotals {
  claimed: number;
  sent: number;
  retrying: number;
  dead: number;
  runs: number;
}

export type WorkerReply =
  | { type: "ready"; pid: number }
  | { id: number; type: "done"; totals?: DeliverTotals; replies?: string[] }
  | { id: number; type: "failed"; error: string };
