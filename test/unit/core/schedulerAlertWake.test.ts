import { describe, expect, it } from "vitest";
import { announceAlertQueued } from "../../../src/outbox/alertSignal.ts";
import type { OutboxDispatcher, RunSummary } from "../../../src/outbox/dispatcher.ts";
import { createScheduler } from "../../../src/scheduler/scheduler.ts";
import { FakeClock } from "../../support/fakeClock.ts";
import { captureLogger } from "../../support/logger.ts";

function recordingOutbox() {
  const calls: string[] = [];
  const idle = (call: string) => async (): Promise<RunSummary> => {
    calls.push(call);
    return { claimed: 0, sent: 0, retrying: 0, dead: 0 };
  };
  const outbox: OutboxDispatcher = {
    runOnce: idle("runOnce"),
    drain: idle("drain"),
    expedite: idle("expedite"),
    stop: async () => {
      calls.push("stop");
    },
  };
  return { outbox, calls };
}

describe("an alert queued in this process", () => {
  it("has the running scheduler deliver at once rather than at the next tick, and only while it runs", async () => {
    const { outbox, calls } = recordingOutbox();
    const scheduler = createScheduler({
      clock: new FakeClock("2027-01-04T09:00:00Z"),
      logger: captureLogger().logger,
      sweepers: [],
      outbox,
    });
    announceAlertQueued();
    expect(calls).toEqual([]);
    scheduler.start();
    announceAlertQueued();
    expect(calls).toEqual(["expedite"]);
    await scheduler.stop();
    announceAlertQueued();
    expect(calls).toEqual(["expedite", "stop"]);
  });
});
