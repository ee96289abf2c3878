import type { Message } from "../../../src/core/message.ts";
import type { Db } from "../../../src/db/client.ts";
import { defaultEscalationPolicy } from "../../../src/domain/houseSettings.ts";
import type { SinkRecord } from "./sink.ts";

/** Every button id on a message. */
export function actionIds(message: Message): string[] {
  return (message.buttons ?? []).flatMap((row) => row.map((b) => b.actionId));
}

/** The id after a button prefix, e.g. `al:ack:` → the alert id. */
export function idAfter(message: Message, prefix: string): string | null {
  const found = actionIds(message).find((id) => id.startsWith(prefix));
  return found ? found.slice(prefix.length) : null;
}

export interface Reconciliation {
  /** Outbox rows marked sent. */
  sentRows: number;
  /** Sends (not edits) the platform accepted. */
  platformSends: number;
  /** Platform copies no sent row points at: sends repeated or never recorded. */
  unmatchedSends: SinkRecord[];
  /** Sent rows whose recorded message the platform never received. */
  rowsWithoutSend: string[];
  /** Rows whose recorded message id the platform holds more than once (impossible unless ids clash). */
  doubleMatched: string[];
  /** Edits: platform edits per original message compared with update rows sent for it. */
  editMismatches: Array<{ messageId: string; rows: number; platform: number }>;
  /** Rows not delivered at the end, by status. */
  notDelivered: Record<string, number>;
}

/**
 * Puts the database's record of deliveries next to the platform's: every sent outbox row must
 * point (by the message id the platform gave it) at exactly one message the platform holds, and
 * every message the platform holds must be pointed at by exactly one row.
 */
export async function reconcile(db: Db, records: SinkRecord[], houseId: string): Promise<Reconciliation> {
  const rows = await db.outbox.findMany({ where: { houseId } });
  const sendsById = new Map<string, SinkRecord[]>();
  const editsById = new Map<string, number>();
  for (const record of records) {
    if (record.kind === "update") {
      editsById.set(record.refMessageId, (editsById.get(record.refMessageId) ?? 0) + 1);
      continue;
    }
    const list = sendsById.get(record.refMessageId) ?? [];
    list.push(record);
    sendsById.set(record.refMessageId, list);
  }
  const matched = new Set<string>();
  const rowsWithoutSend: string[] = [];
  const doubleMatched: string[] = [];
  const editRows = new Map<string, number>();
  const notDelivered: Record<string, number> = {};
  const byId = new Map(rows.map((r) => [r.id, r]));
  let sentRows = 0;
  for (const row of rows) {
    if (row.status !== "sent") {
      notDelivered[row.status] = (notDelivered[row.status] ?? 0) + 1;
      continue;
    }
    sentRows++;
    const ref = row.sentRef as { messageId?: string } | null;
    const messageId = ref?.messageId ?? "";
    if (row.kind === "update") {
      const original = row.updateOfId ? byId.get(row.updateOfId) : undefined;
      const originalId = (original?.sentRef as { messageId?: string } | null)?.messageId ?? "";
      editRows.set(originalId, (editRows.get(originalId) ?? 0) + 1);
      continue;
    }
    const copies = sendsById.get(messageId) ?? [];
    if (copies.length === 0) rowsWithoutSend.push(row.idempotencyKey);
    if (copies.length > 1 || matched.has(messageId)) doubleMatched.push(row.idempotencyKey);
    matched.add(messageId);
  }
  const unmatchedSends = records.filter((r) => r.kind !== "update" && !matched.has(r.refMessageId));
  const editMismatches = [...new Set([...editRows.keys(), ...editsById.keys()])]
    .map((messageId) => ({ messageId, rows: editRows.get(messageId) ?? 0, platform: editsById.get(messageId) ?? 0 }))
    .filter((e) => e.rows !== e.platform);
  return {
    sentRows,
    platformSends: records.filter((r) => r.kind !== "update").length,
    unmatchedSends,
    rowsWithoutSend,
    doubleMatched,
    editMismatches,
    notDelivered,
  };
}

interface AlertWithEvents {
  id: string;
  kind: string;
  severity: string;
  events: Array<{ kind: string; at: Date; details: unknown }>;
}

/** Within one instant a retrigger is recorded before the notification it starts. */
const eventOrder = (kind: string) => (kind === "retriggered" ? 0 : 1);

/**
 * What is wrong with alerts' escalation, from their event timelines: a level notified twice in one
 * round (a round starts again at each retrigger), or a level notified before the previous level's
 * timeout ran out (15 minutes, 5 for critical alerts: the default policy).
 */
export function escalationFindings(alerts: AlertWithEvents[]): string[] {
  const findings: string[] = [];
  for (const alert of alerts) {
    const ordered = [...alert.events].sort((a, b) => a.at.getTime() - b.at.getTime() || eventOrder(a.kind) - eventOrder(b.kind));
    const timeline = () => ordered.map((e) => `  ${e.at.toISOString()} ${e.kind} ${JSON.stringify(e.details)}`).join("\n");
    const notified = new Set<string>();
    let round = 0;
    let previous: Date | null = null;
    for (const event of ordered) {
      if (event.kind === "retriggered") {
        round++;
        previous = null;
      }
      if (event.kind !== "notified") continue;
      const details = event.details as { level: number; loop: number };
      const key = `round ${round} level ${details.level} loop ${details.loop}`;
      if (notified.has(key)) findings.push(`alert ${alert.id} (${alert.kind}): ${key} notified twice\n${timeline()}`);
      notified.add(key);
      const timeout = alert.severity === "critical" ? defaultEscalationPolicy.criticalTimeoutMinutes : 15;
      if (previous && event.at.getTime() - previous.getTime() < timeout * 60_000) {
        findings.push(
          `alert ${alert.id} (${alert.kind}): escalated ${(event.at.getTime() - previous.getTime()) / 60_000} min after the previous level\n${timeline()}`,
        );
      }
      previous = event.at;
    }
  }
  return findings;
}

/** A figure line the docs quote: `[reliability] <name> {json}`. */
export function report(name: string, figures: Record<string, unknown>): void {
  console.log(`[reliability] ${name} ${JSON.stringify(figures)}`);
}
