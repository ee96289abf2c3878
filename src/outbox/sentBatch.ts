import type { MessageRef } from "../core/events.ts";
import type { Db } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";

/**
 * Marks delivered rows sent, many in one statement: sends finishing in the same turn of the
 * event loop are written together at the end of it, so a busy outbox spends one round trip on
 * the database for a handful of rows instead of one each. Like every settle, a row is written
 * only while this worker's claim on it still holds.
 */
export interface SentBatch {
  /** Resolves once written: true when the claim still held. */
  markSent(rowId: string, ref: MessageRef, at: Date): Promise<boolean>;
}

interface Pending {
  rowId: string;
  ref: MessageRef;
  at: Date;
  done(written: boolean): void;
  failed(error: unknown): void;
}

/** What a delivered row keeps of its message: a delivered message lives on the platform, not here. */
const DELIVERED = JSON.stringify({ delivered: true });

export function createSentBatch(db: Db, workerId: string): SentBatch {
  let pending: Pending[] = [];

  async function flush(): Promise<void> {
    const batch = pending;
    pending = [];
    try {
      const values = Prisma.join(batch.map((p) => Prisma.sql`(${p.rowId}, ${p.at}::timestamp(3), ${JSON.stringify({ ...p.ref })}::jsonb)`));
      const written = await db.$queryRaw<Array<{ id: string }>>`
        UPDATE "Outbox" AS o SET
          status = 'sent'::"OutboxStatus",
          "sentAt" = v.at,
          "leaseUntil" = NULL,
          "sentRef" = v.ref,
          "lastError" = NULL,
          message = ${DELIVERED}::jsonb,
          "updatedAt" = v.at
        FROM (VALUES ${values}) AS v(id, at, ref)
        WHERE o.id = v.id AND o."claimedBy" = ${workerId} AND o.status = 'sending'::"OutboxStatus"
        RETURNING o.id`;
      const ids = new Set(written.map((w) => w.id));
      for (const p of batch) p.done(ids.has(p.rowId));
    } catch (error) {
      for (const p of batch) p.failed(error);
    }
  }

  return {
    markSent(rowId, ref, at) {
      return new Promise((done, failed) => {
        if (pending.length === 0) setImmediate(() => void flush());
        pending.push({ rowId, ref, at, done, failed });
      });
    },
  };
}
