import { randomUUID } from "node:crypto";
import type { Prisma, RiskSignal } from "../generated/prisma/client.ts";
import type { RiskSignalKind } from "../generated/prisma/enums.ts";
import type { Tx } from "./deps.ts";

export interface SignalInput {
  houseId: string;
  memberId: string;
  kind: RiskSignalKind;
  /** Unique per observation, so a retried request or a second sweep records it once. */
  dedupKey: string;
  details?: Prisma.InputJsonValue;
  occurredAt: Date;
}

/**
 * Reacts to newly recorded risk signals inside the transaction that recorded them (the alerts
 * service), all of them in one call so a batch costs a handful of statements, not a handful each.
 */
export type SignalHandler = (tx: Tx, signals: RiskSignal[]) => Promise<void>;

/**
 * Records a risk signal and hands it straight to the handler in the same transaction, so an
 * alert exists exactly when the answer that caused it is saved. Returns null when the signal was
 * already recorded.
 */
export async function recordSignal(tx: Tx, input: SignalInput, handle: SignalHandler): Promise<RiskSignal | null> {
  const [signal] = await recordSignals(tx, [input], handle);
  return signal ?? null;
}

/**
 * Records several risk signals with one statement, then hands the new ones to the handler together,
 * in the order given, in the same transaction. A signal already recorded (its dedup key exists) is
 * neither returned nor handled again.
 */
export async function recordSignals(tx: Tx, inputs: SignalInput[], handle: SignalHandler): Promise<RiskSignal[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map((input) => ({
    id: randomUUID(),
    houseId: input.houseId,
    memberId: input.memberId,
    kind: input.kind,
    dedupKey: input.dedupKey,
    details: input.details ?? {},
    occurredAt: input.occurredAt.toISOString(),
  }));
  const inserted = await tx.$queryRaw<RiskSignal[]>`
    INSERT INTO "RiskSignal" (id, "houseId", "memberId", kind, "dedupKey", details, "occurredAt")
    SELECT r.id, r."houseId", r."memberId", r.kind, r."dedupKey", r.details, r."occurredAt"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id text, "houseId" text, "memberId" text, kind "RiskSignalKind",
      "dedupKey" text, details jsonb, "occurredAt" timestamp(3))
    ON CONFLICT DO NOTHING
    RETURNING id, "houseId", "memberId", kind::text AS kind, "dedupKey", details, "occurredAt", "consumedAt", "alertId"`;
  const byId = new Map(inserted.map((signal) => [signal.id, signal]));
  const signals = rows.flatMap((row) => byId.get(row.id) ?? []);
  if (signals.length > 0) await handle(tx, signals);
  return signals;
}
