import { DeliveryError } from "../core/ports.ts";
import type { Outbox } from "../generated/prisma/client.ts";
import type { DeliveryListener } from "../outbox/dispatcher.ts";
import type { ServiceDeps } from "./deps.ts";
import { recordSignal, type SignalHandler } from "./signals.ts";

/**
 * When a platform says a person cannot be DMed at all (closed DMs, left the server), stop
 * trying and record a risk signal: a counsellor must know the bot can no longer reach them.
 */
export function createReachabilityListener(deps: ServiceDeps, onSignal: SignalHandler): DeliveryListener {
  return {
    async failed(row: Outbox, error: Error) {
      if (!(error instanceof DeliveryError) || !error.options.unreachable || !row.targetMemberId) return;
      const now = deps.clock.now();
      await deps.db.$transaction(async (tx) => {
        const memberId = row.targetMemberId ?? "";
        // Only the change from reachable to unreachable raises a signal, however many sends fail.
        const changed = await tx.member.updateMany({ where: { id: memberId, reachable: true }, data: { reachable: false } });
        if (changed.count === 0) return;
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
        await recordSignal(
          tx,
          {
            houseId: member.houseId,
            memberId: member.id,
            kind: "unreachable",
            dedupKey: `unreachable:${member.id}:${now.toISOString()}`,
            details: { code: error.options.code ?? null },
            occurredAt: now,
          },
          onSignal,
        );
      });
    },
  };
}
