import { type Outbox, Prisma } from "../generated/prisma/client.ts";
import type { OutboxLane, Platform } from "../generated/prisma/enums.ts";
import type { Tx } from "../services/deps.ts";

export const LANE_ORDER = ["alert", "interactive", "prompt", "reminder", "bulk"] as const;

/**
 * Takes up to `limit` due rows for this worker under a lease. `FOR UPDATE SKIP LOCKED` lets
 * several processes claim at once without waiting on or double-taking each other's rows; a
 * row whose lease ran out (its worker died) is due again. Lanes are claimed in enum order, so
 * alerts go before everything else. `lanes` narrows the claim to some lanes only, `platform` to
 * the houses on one platform.
 *
 * Due rows and expired leases are looked for separately, each along the (status, lane,
 * nextAttemptAt) index in claim order, so a claim reads about `limit` rows however long the
 * queue and however many sent rows it keeps.
 */
export async function claimDue(
  db: Tx,
  options: { workerId: string; now: Date; leaseMs: number; limit: number; lanes?: OutboxLane[]; platform?: Platform },
): Promise<Outbox[]> {
  const { now, limit } = options;
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const lanes = options.lanes
    ? Prisma.sql`AND lane IN (${Prisma.join(options.lanes.map((lane) => Prisma.sql`${lane}::"OutboxLane"`))})`
    : Prisma.empty;
  const platform = options.platform
    ? Prisma.sql`AND "houseId" IN (SELECT id FROM "House" WHERE platform = ${options.platform}::"Platform")`
    : Prisma.empty;
  const narrowed = Prisma.sql`${lanes} ${platform}`;
  const rows = await db.$queryRaw<Outbox[]>`
    WITH due AS (
      SELECT id, lane, "nextAttemptAt", "createdAt" FROM "Outbox"
      WHERE status = 'pending'::"OutboxStatus" AND "nextAttemptAt" <= ${now} ${narrowed}
      ORDER BY lane, "nextAttemptAt", "createdAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), expired AS (
      SELECT id, lane, "nextAttemptAt", "createdAt" FROM "Outbox"
      WHERE status = 'sending'::"OutboxStatus" AND "leaseUntil" < ${now} ${narrowed}
      ORDER BY lane, "nextAttemptAt", "createdAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), chosen AS (
      SELECT id FROM (SELECT * FROM due UNION ALL SELECT * FROM expired) candidates
      ORDER BY lane, "nextAttemptAt", "createdAt"
      LIMIT ${limit}
    )
    UPDATE "Outbox" SET
      status = 'sending'::"OutboxStatus",
      "leaseUntil" = ${leaseUntil},
      "claimedBy" = ${options.workerId},
      attempts = attempts + 1,
      "updatedAt" = ${now}
    WHERE id IN (SELECT id FROM chosen)
    RETURNING *`;
  return rows.sort(claimOrder);
}

/** The order rows are claimed in, for rows RETURNING hands back in no particular order: lane, then due, then queued. */
export function claimOrder(a: Outbox, b: Outbox): number {
  return (
    LANE_ORDER.indexOf(a.lane) - LANE_ORDER.indexOf(b.lane) ||
    new Date(a.nextAttemptAt).getTime() - new Date(b.nextAttemptAt).getTime() ||
    new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime()
  );
}
