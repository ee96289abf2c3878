import type { DeliveryListener } from "../outbox/dispatcher.ts";
import type { ServiceDeps } from "./deps.ts";
import { createHouseService } from "./houses.ts";
import { createMaintenanceService } from "./maintenance.ts";
import { createMemberService } from "./members.ts";

/** Every use case the commands and the scheduler can reach. */
export function createServices(deps: ServiceDeps) {
  const houses = createHouseService(deps);
  const members = createMemberService(deps);
  const maintenance = createMaintenanceService(deps);
  return {
    houses,
    members,
    maintenance,
    /** Called every minute by the scheduler with the current instant; each sweeper is idempotent. */
    sweepers: [maintenance.sweep] as Array<(now: Date) => Promise<void>>,
    /** Told of every delivery and failure (alerts fail over to the next person this way). */
    deliveryListeners: [] as DeliveryListener[],
  };
}

export type Services = ReturnType<typeof createServices>;
