import type { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "./deps.ts";

/** Appends to the audit log: who looked at or changed what. Never updated, never deleted. */
export async function recordAudit(
  tx: Tx,
  entry: { houseId: string; actorId: string | null; action: string; subjectId?: string | null; details?: Prisma.InputJsonValue; at: Date },
): Promise<void> {
  await tx.auditLog.create({
    data: {
      houseId: entry.houseId,
      actorId: entry.actorId,
      action: entry.action,
      subjectId: entry.subjectId ?? null,
      details: entry.details ?? {},
      at: entry.at,
    },
  });
}
