import { randomUUID } from "node:crypto";
import type { Message } from "../core/message.ts";
import { validateMessage } from "../core/message.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { OutboxLane } from "../generated/prisma/enums.ts";
import type { Tx } from "../services/deps.ts";
import { announceAlertQueued } from "./alertSignal.ts";

export interface OutboxItem {
  /** Unique per intended delivery, e.g. `checkin:<member>:<localDate>`; a second enqueue with the same key is a no-op. */
  idempotencyKey: string;
  houseId: string;
  lane: OutboxLane;
  message: Message;
  targetMemberId?: string;
  targetChannelId?: string;
  correlationKey?: string;
  /** Deliver no earlier than this (defaults to now). */
  notBefore: Date;
}

/**
 * Queues messages in the caller's transaction, so a message exists exactly when the state
 * change that caused it commits. Returns how many were new.
 *
 * One raw `INSERT … ON CONFLICT DO NOTHING` however many items: the rows travel as one JSON
 * parameter, so a batch costs one short statement to parse and no query compilation.
 */
export async function enqueue(tx: Tx, items: OutboxItem[]): Promise<number> {
  if (items.length === 0) return 0;
  for (const item of items) {
    if (!item.targetMemberId === !item.targetChannelId) {
      throw new Error(`outbox item ${item.idempotencyKey} needs exactly one target`);
    }
    validateMessage(item.message);
  }
  const rows = items.map((item) => ({
    id: randomUUID(),
    idempotencyKey: item.idempotencyKey,
    houseId: item.houseId,
    lane: item.lane,
    targetMemberId: item.targetMemberId ?? null,
    targetChannelId: item.targetChannelId ?? null,
    correlationKey: item.correlationKey ?? null,
    message: item.message,
    nextAttemptAt: item.notBefore.toISOString(),
  }));
  const createdAt = new Date();
  const count = await tx.$executeRaw`
    INSERT INTO "Outbox" (id, "idempotencyKey", "houseId", lane, kind, "targetMemberId", "targetChannelId", "correlationKey", message,
      "nextAttemptAt", "createdAt", "updatedAt")
    SELECT r.id, r."idempotencyKey", r."houseId", r.lane, 'send'::"OutboxKind", r."targetMemberId", r."targetChannelId", r."correlationKey",
      r.message, r."nextAttemptAt", ${createdAt}, ${createdAt}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id text, "idempotencyKey" text, "houseId" text, lane "OutboxLane",
      "targetMemberId" text, "targetChannelId" text, "correlationKey" text, message jsonb, "nextAttemptAt" timestamp(3))
    ON CONFLICT DO NOTHING`;
  if (count > 0 && items.some((item) => item.lane === "alert")) announceAlertQueued();
  return count;
}

/** Queues an edit of a message the outbox delivered earlier (e.g. "acknowledged by Sam"). */
export async function enqueueUpdate(
  tx: Tx,
  item: { idempotencyKey: string; houseId: string; lane: OutboxLane; updateOfId: string; message: Message; notBefore: Date },
): Promise<number> {
  validateMessage(item.message);
  const original = await tx.outbox.findUnique({ where: { id: item.updateOfId } });
  if (!original) throw new Error(`outbox row ${item.updateOfId} does not exist`);
  const result = await tx.outbox.createMany({
    data: [
      {
        idempotencyKey: item.idempotencyKey,
        houseId: item.houseId,
        lane: item.lane,
        kind: "update",
        updateOfId: item.updateOfId,
        targetMemberId: original.targetMemberId,
        targetChannelId: original.targetChannelId,
        correlationKey: original.correlationKey,
        message: item.message as unknown as Prisma.InputJsonValue,
        nextAttemptAt: item.notBefore,
      },
    ],
    skipDuplicates: true,
  });
  if (result.count > 0 && item.lane === "alert") announceAlertQueued();
  return result.count;
}
