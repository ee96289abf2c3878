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

/** Reacts to a new risk signal inside the transaction that recorded it (the alerts service). */
export type SignalHandler = (tx: Tx, signal: RiskSignal) => Promise<void>;

/**
 * Records a risk signal and hands it straight to the handler in the same transaction, so an
 * alert exists exactly when the answer that caused it is saved. Returns null when the signal was
 * already recorded.
 */
export async function recordSignal(tx: Tx, input: SignalInput, handle: SignalHandler): Promise<RiskSignal | null> {
  const [signal] = await tx.riskSignal.createManyAndReturn({
    data: [{ ...input, details: input.details ?? {} }],
    skipDuplicates: true,
  });
  if (!signal) return null;
  await handle(tx, signal);
  return signal;
}
