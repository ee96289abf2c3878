import type { ServiceDeps } from "./deps.ts";

const INBOUND_EVENT_MEMORY_DAYS = 7;

export function createMaintenanceService(deps: ServiceDeps) {
  return {
    /** Forgets inbound event ids old enough that no platform will replay them. */
    async sweep(now: Date): Promise<void> {
      const cutoff = new Date(now.getTime() - INBOUND_EVENT_MEMORY_DAYS * 24 * 3600_000);
      await deps.db.inboundEvent.deleteMany({ where: { receivedAt: { lt: cutoff } } });
    },

    /** Outbox health for admins: counts per status, and dead-lettered rows by lane. */
    async outboxStatus(houseId: string) {
      const groups = await deps.db.outbox.groupBy({ by: ["status"], where: { houseId }, _count: { _all: true } });
      return Object.fromEntries(groups.map((g) => [g.status, g._count._all])) as Partial<Record<string, number>>;
    },

    /** Puts dead-lettered rows back in the queue, e.g. after a platform outage. */
    async retryDead(houseId: string, now: Date): Promise<number> {
      const result = await deps.db.outbox.updateMany({
        where: { houseId, status: "dead" },
        data: { status: "pending", attempts: 0, nextAttemptAt: now, lastError: null },
      });
      return result.count;
    },
  };
}
