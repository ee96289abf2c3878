/**
 * One bot process for the reliability tests: the real app (`createApp`) on the real database in
 * DATABASE_URL, with a chat adapter that posts every send to the shared sink (SINK_URL). Its clock
 * is the test's: every command carries the instant to act at. Run as a child process with an IPC
 * channel: `node --import tsx test/support/reliability/worker.ts`.
 */
import { createApp } from "../../../src/app.ts";
import type { Clock } from "../../../src/core/ports.ts";
import { openDatabase } from "../../../src/db/client.ts";
import { createTextCipher } from "../../../src/db/crypto.ts";
import { createLogger } from "../../../src/logger.ts";
import type { DeliverTotals, WorkerCommand, WorkerReply } from "./protocol.ts";
import { SinkAdapter } from "./sinkAdapter.ts";

const MAX_RUNS_PER_DELIVER = 400;

class SteppedClock implements Clock {
  private current = new Date(0);
  now(): Date {
    return new Date(this.current);
  }
  set(instant: string): void {
    this.current = new Date(instant);
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function send(reply: WorkerReply, then?: () => void): void {
  process.send?.(reply, undefined, undefined, () => then?.());
}

async function main(): Promise<void> {
  const worker = required("WORKER_NAME");
  const clock = new SteppedClock();
  const database = await openDatabase({ databaseUrl: required("DATABASE_URL"), dataDir: "memory://" });
  const logger = createLogger(process.env.LOG_LEVEL ?? "warn");
  const app = createApp({
    config: { defaultTimezone: "Europe/London" },
    cipher: createTextCipher(Buffer.alloc(32, 7).toString("base64")),
    database,
    adapters: [new SinkAdapter({ sinkUrl: required("SINK_URL"), worker, timeoutMs: Number(process.env.SEND_TIMEOUT_MS ?? 1000) })],
    clock,
    logger,
    timers: false,
  });
  await app.start();

  async function deliver(): Promise<DeliverTotals> {
    const totals: DeliverTotals = { claimed: 0, sent: 0, retrying: 0, dead: 0, runs: 0 };
    for (let i = 0; i < MAX_RUNS_PER_DELIVER; i++) {
      const summary = await app.outbox.runOnce();
      totals.runs++;
      totals.claimed += summary.claimed;
      totals.sent += summary.sent;
      totals.retrying += summary.retrying;
      totals.dead += summary.dead;
      if (summary.claimed === 0) break;
    }
    return totals;
  }

  async function handle(command: WorkerCommand): Promise<WorkerReply> {
    switch (command.type) {
      case "sweep":
        clock.set(command.now);
        await app.scheduler.sweep(clock.now());
        return { id: command.id, type: "done" };
      case "deliver":
        clock.set(command.now);
        return { id: command.id, type: "done", totals: await deliver() };
      case "inbound": {
        clock.set(command.now);
        const replies = await app.dispatcher.dispatch(command.event);
        return {
          id: command.id,
          type: "done",
          replies: replies.map((r) => (r.kind === "form" ? `form:${r.form.formId}` : r.message.text)),
        };
      }
      case "stop":
        await app.stop();
        await database.close();
        return { id: command.id, type: "done" };
    }
  }

  process.on("message", (command: WorkerCommand) => {
    handle(command)
      .then((reply) => send(reply, command.type === "stop" ? () => process.exit(0) : undefined))
      .catch((error: unknown) => send({ id: command.id, type: "failed", error: (error as Error).stack ?? String(error) }));
  });
  send({ type: "ready", pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
