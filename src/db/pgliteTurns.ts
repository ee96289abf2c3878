import type { PGlite } from "@electric-sql/pglite";

/** Longest stretch of database work before the event loop gets a turn. */
const MAX_WORK_WITHOUT_A_TURN_MS = 4;

/**
 * Gives the event loop a turn once PGlite has worked for a few milliseconds without one. PGlite
 * runs PostgreSQL in this thread and answers without real I/O, so a burst of database work is
 * one long chain of promise callbacks during which no socket is read: a platform's next events,
 * and the acknowledgements they are owed within 3 seconds, would wait for the whole chain. A turn
 * before every message would bound that wait too, but a transaction holds PGlite's only
 * connection while it waits for its turn, so turns are rationed by time: the database is kept
 * busy, and nothing waits more than a few milliseconds of it.
 */
export function yieldBetweenStatements(pglite: PGlite): void {
  const execute = pglite.execProtocolRaw.bind(pglite);
  let lastTurn = performance.now();
  pglite.execProtocolRaw = async (message, options) => {
    if (performance.now() - lastTurn > MAX_WORK_WITHOUT_A_TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastTurn = performance.now();
    }
    return execute(message, options);
  };
}
