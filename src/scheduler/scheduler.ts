import cron from "node-cron";
import type { Clock, Logger } from "../core/ports.ts";
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
 * every few seconds the outbox delivers. Ticks never overlap within a process (noOverlap), and
 * across processes the work itself is idempotent, so an overlap costs time, never a double send.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock, logger, sweepers, outbox } = options;
  const every = Math.max(1, Math.min(59, options.outboxEverySeconds ?? 3));
  const tasks: Array<ReturnType<typeof cron.schedule>> = [];
  let sweeping: Promise<void> | null = null;

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
    // Keep going while full batches come back, so a backlog drains within the tick.
    for (let round = 0; round < 20; round++) {
      const summary = await outbox.runOnce();
      if (summary.claimed === 0) return;
    }
  }

  return {
    sweep,
    start() {
      tasks.push(
        cron.schedule(
          "0 * * * * *",
          async () => {
            sweeping = sweep(clock.now());
            await sweeping;
            sweeping = null;
            await deliverAll();
          },
          { noOverlap: true, name: "minute-sweep" },
        ),
        cron.schedule(
          `*/${every} * * * * *`,
          async () => {
            try {
              await deliverAll();
            } catch (error) {
              logger.error({ err: error }, "outbox run failed; will retry");
            }
          },
          { noOverlap: true, name: "outbox" },
        ),
      );
    },
    async stop() {
      for (const task of tasks) await task.destroy();
      tasks.length = 0;
      if (sweeping) await sweeping.catch(() => undefined);
      await outbox.stop();
    },
  };
}
