import { AsyncLocalStorage } from "node:async_hooks";
import type { OutboxLane } from "../generated/prisma/enums.ts";

/**
 * The lane of the outbox row being sent, for adapters that queue sends of their own (Slack's
 * pacing): there too an alert goes before the prompts already waiting, as it does in the outbox.
 */
const currentLane = new AsyncLocalStorage<OutboxLane>();

export function sendInLane<T>(lane: OutboxLane, send: () => Promise<T>): Promise<T> {
  return currentLane.run(lane, send);
}

/** True while an alert-lane row is being sent. */
export function sendingAlert(): boolean {
  return currentLane.getStore() === "alert";
}
