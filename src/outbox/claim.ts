import type { Outbox } from "../generated/prisma/client.ts";
import type { Tx } from "../services/deps.ts";

export const LANE_ORDER = ["alert", "interactive", "prompt", "reminder", "bulk"] as const;

/**
 * Takes up to `limit` due rows for this worker under a lease. `FOR UPDATE SKIP LOCKED` lets
 * several processes claim at once without waiting on or double-taking each other's rows; a
 * row whose lease ran out (its worker died) is due again. Lanes are claimed in enum order, so
 * alerts go before everything else.
 */
export async function claimDue(db: Tx, options: { workerId: string; now: Date; leaseMs: number; limit: number }): Promise<Outbox[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  const rows = await db.$queryRaw<Outbox[]>`
    UPDATE "Outbox" SET
      status = 'sending'::"OutboxStatus",
      "leaseUntil" = ${leaseUntil},
      "claimedBy" = ${options.workerId},
      attempts = attempts + 1,
      "updatedAt" = ${options.now}
    WHERE id IN (
      SELECT id FROM "Outbox"
      WHERE (status = 'pending'::"OutboxStatus" AND "nextAttemptAt" <= ${options.now})
         OR (status = 'sending'::"OutboxStatus" AND "leaseUntil" < ${options.now})
      ORDER BY lane, "nextAttemptAt", "createdAt"
      LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING *`;
  return rows.sort(
    (a, b) =>
      LANE_ORDER.indexOf(a.lane) - LANE_ORDER.indexOf(b.lane) || new Date(a.nextAttemptAt).getTime() - new Date(b.nextAttemptAt).getTime(),
  );
}
