import cron from "node-cron";
import type { Clock, Logger } from "../core/ports.ts";
import { onAlertQueued } from "../outbox/alertSignal.ts";
import type { OutboxDispatcher } from "../outbox/dispatcher.ts";

export interface SchedulerOptions {
  clock: Clock;
  logger: Logger;
  sweepers: Array<(now: Date) => Promise<void>>;
  outbox: OutboxDispatcher;
  /** Seconds between outbox runs. */
  outboxEverySeconds?: number;
}

export interface Scheduler {
  /** One sweep at the given instant: what the minute tick does. Tests call it with a fake clock. */
  sweep(now: Date): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The only place timers live. Every minute each service sweeps for what is due at `now`;
 * every few seconds the outbox drains whatever is due, and an alert queued in this process
 * starts a drain at once. Ticks never overlap within a process (noOverlap, and the outbox runs
 * one drain at a time), and across processes the work itself is idempotent, so an overlap costs
 * time, never a double send.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock, logger, sweepers, outbox } = options;
  const every = Math.max(1, Math.min(59, options.outboxEverySeconds ?? 3));
  const tasks: Array<ReturnType<typeof cron.schedule>> = [];
  let sweeping: Promise<void> | null = null;
  let stopListening: (() => void) | null = null;

  async function sweep(now: Date): Promise<void> {
    for (const sweeper of sweepers) {
      try {
        await sweeper(now);
      } catch (error) {
        // One failing sweeper must not stop the others (alerts must still escalate).
        logger.error({ err: error, sweeper: sweeper.name }, "sweep failed; will retry next minute");
      }
    }
  }

  async function deliverAll(): Promise<void> {
    try {
      await outbox.drain();
    } catch (error) {
      logger.error({ err: error }, "outbox run failed; will retry");
    }
  }

  return {
    sweep,
    start() {
      stopListening = onAlertQueued(() => {
        outbox.expedite().catch((error: unknown) => logger.error({ err: error }, "outbox run failed; will retry"));
      });
      tasks.push(
        cron.schedule(
          "0 * * * * *",
          async () => {
            sweeping = sweep(clock.now());
            await sweeping;
            sweeping = null;
            // Not awaited: a long drain must not hold up next minute's sweep.
            void deliverAll();
          },
          { noOverlap: true, name: "minute-sweep" },
        ),
        // The outbox runs one drain at a time itself; a tick during a long drain just finds it running.
        cron.schedule(
          `*/${every} * * * * *`,
          () => {
            void deliverAll();
          },
          { noOverlap: true, name: "outbox" },
        ),
      );
    },
    async stop() {
      stopListening?.();
      stopListening = null;
      for (const task of tasks) await task.destroy();
      tasks.length = 0;
      if (sweeping) await sweeping.catch(() => undefined);
      await outbox.stop();
    },
  };
}
