import type { MessageRef, Platform } from "../core/events.ts";
import type { Message } from "../core/message.ts";
import { type ChatAdapter, type Clock, DeliveryError, type Logger } from "../core/ports.ts";
import type { Db } from "../db/client.ts";
import type { Outbox } from "../generated/prisma/client.ts";
import { defaultRetryPolicy, type RetryPolicy, retryDelayMs } from "./backoff.ts";
import { claimDue } from "./claim.ts";

export interface DeliveryListener {
  delivered?(row: Outbox, ref: MessageRef): Promise<void>;
  /** `final` when the row will not be tried again (dead-lettered or refused for good). */
  failed?(row: Outbox, error: Error, final: boolean): Promise<void>;
}

export interface OutboxDispatcherOptions {
  db: Db;
  adapters: Partial<Record<Platform, ChatAdapter>>;
  clock: Clock;
  logger: Logger;
  workerId: string;
  retry?: RetryPolicy;
  leaseMs?: number;
  batchSize?: number;
  listeners?: DeliveryListener[];
}

export interface RunSummary {
  claimed: number;
  sent: number;
  retrying: number;
  dead: number;
}

class NotReadyYet extends Error {}

/** What a delivered row keeps of its message. */
const DELIVERED = { delivered: true };

export interface OutboxDispatcher {
  runOnce(): Promise<RunSummary>;
  /** Finishes the send in flight, hands back rows claimed but not yet tried, then resolves. */
  stop(): Promise<void>;
}

export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { db, adapters, clock, logger, workerId } = options;
  const retry = options.retry ?? defaultRetryPolicy;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 25;
  const listeners = options.listeners ?? [];
  let stopping = false;
  let running: Promise<RunSummary> | null = null;

  async function deliver(row: Outbox): Promise<MessageRef | null> {
    const house = await db.house.findUnique({ where: { id: row.houseId } });
    if (!house) throw new DeliveryError("house no longer exists", { permanent: true });
    const adapter = adapters[house.platform];
    if (!adapter) throw new DeliveryError(`no ${house.platform} connection in this process`, { permanent: false });
    const message = row.message as unknown as Message;

    if (row.kind === "update") {
      const original = row.updateOfId ? await db.outbox.findUnique({ where: { id: row.updateOfId } }) : null;
      if (!original || original.status === "dead" || original.status === "cancelled") return null;
      if (original.status !== "sent" || !original.sentRef) throw new NotReadyYet("the original message is not delivered yet");
      const ref = original.sentRef as unknown as MessageRef;
      await adapter.updateMessage(house.workspaceId, ref, message);
      return ref;
    }
    if (row.targetMemberId) {
      const member = await db.member.findUnique({ where: { id: row.targetMemberId } });
      if (!member) throw new DeliveryError("member no longer exists", { permanent: true });
      if (!member.reachable) throw new DeliveryError("member cannot be reached by DM", { permanent: true, unreachable: true });
      const ref = await adapter.sendDirect(
        { workspaceId: house.workspaceId, userId: member.platformUserId, dmChannelId: member.dmChannelId },
        message,
      );
      if (ref.channelId !== member.dmChannelId) {
        await db.member.update({ where: { id: member.id }, data: { dmChannelId: ref.channelId } });
      }
      return ref;
    }
    if (row.targetChannelId) {
      return adapter.postToChannel({ workspaceId: house.workspaceId, channelId: row.targetChannelId }, message);
    }
    throw new DeliveryError("outbox row has no target", { permanent: true });
  }

  /** Writes only while our claim still holds, so a row retaken after our lease is never overwritten. */
  async function settle(row: Outbox, data: Parameters<Db["outbox"]["updateMany"]>[0]["data"]): Promise<boolean> {
    const result = await db.outbox.updateMany({ where: { id: row.id, claimedBy: workerId, status: "sending" }, data });
    return result.count === 1;
  }

  async function handleRow(row: Outbox, summary: RunSummary): Promise<void> {
    try {
      const ref = await deliver(row);
      const now = clock.now();
      if (ref === null) {
        await settle(row, { status: "cancelled", leaseUntil: null, lastError: "original message was never delivered" });
        return;
      }
      // A delivered message lives on the platform; keeping its words here would only be another copy to protect.
      await settle(row, { status: "sent", sentAt: now, leaseUntil: null, sentRef: { ...ref }, lastError: null, message: DELIVERED });
      summary.sent++;
      for (const listener of listeners) await listener.delivered?.(row, ref);
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const now = clock.now();
      const delivery = error instanceof DeliveryError ? error.options : { permanent: false as const };
      const final = delivery.permanent || row.attempts >= retry.maxAttempts;
      if (error instanceof NotReadyYet) {
        await settle(row, {
          status: "pending",
          leaseUntil: null,
          attempts: { decrement: 1 },
          nextAttemptAt: new Date(now.getTime() + 2_000),
        });
        return;
      }
      if (final) {
        await settle(row, { status: "dead", leaseUntil: null, lastError: error.message.slice(0, 500) });
        summary.dead++;
        logger.warn({ outboxId: row.id, lane: row.lane, attempts: row.attempts, err: error.message }, "outbox row dead-lettered");
      } else {
        const delay = retryDelayMs(row.attempts, retry, "retryAfterMs" in delivery ? delivery.retryAfterMs : undefined);
        await settle(row, {
          status: "pending",
          leaseUntil: null,
          lastError: error.message.slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + delay),
        });
        summary.retrying++;
        logger.info({ outboxId: row.id, lane: row.lane, attempts: row.attempts, delayMs: delay }, "outbox send will be retried");
      }
      for (const listener of listeners) await listener.failed?.(row, error, final);
    }
  }

  async function run(): Promise<RunSummary> {
    const summary: RunSummary = { claimed: 0, sent: 0, retrying: 0, dead: 0 };
    const rows = await claimDue(db, { workerId, now: clock.now(), leaseMs, limit: batchSize });
    summary.claimed = rows.length;
    for (const [index, row] of rows.entries()) {
      // A turn of the event loop between sends. On the embedded database every await resolves
      // without I/O, so a whole drain would otherwise run as one task and a stop signal (SIGTERM,
      // Ctrl-C) would wait behind hundreds of sends, past the 10-second stop deadline.
      await new Promise((resolve) => setImmediate(resolve));
      if (stopping) {
        await release(rows.slice(index));
        break;
      }
      await handleRow(row, summary);
    }
    if (summary.dead > 0) await reportDeadLetters(summary.dead);
    return summary;
  }

  /** One line with counts an operator can alert on; admins see the same with /deliveries. */
  async function reportDeadLetters(justNow: number): Promise<void> {
    const groups = await db.outbox.groupBy({ by: ["lane"], where: { status: "dead" }, _count: { _all: true } });
    const byLane = Object.fromEntries(groups.map((g) => [g.lane, g._count._all]));
    const total = groups.reduce((sum, g) => sum + g._count._all, 0);
    logger.warn(
      { deadJustNow: justNow, deadTotal: total, deadByLane: byLane },
      "outbox has undelivered rows; /deliveries shows them, /deliveries retry resends",
    );
  }

  async function release(rows: Outbox[]): Promise<void> {
    for (const row of rows) {
      await settle(row, { status: "pending", leaseUntil: null, claimedBy: null, attempts: { decrement: 1 } });
    }
  }

  return {
    runOnce() {
      if (stopping) return Promise.resolve({ claimed: 0, sent: 0, retrying: 0, dead: 0 });
      if (running) return running;
      running = run().finally(() => {
        running = null;
      });
      return running;
    },
    async stop() {
      stopping = true;
      if (running) await running.catch(() => undefined);
    },
  };
}
