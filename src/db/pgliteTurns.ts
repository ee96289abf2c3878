import type { PGlite } from "@electric-sql/pglite";

/**
 * Gives the event loop a turn before each protocol message PGlite executes. PGlite runs
 * PostgreSQL in this thread and answers without real I/O, so a burst of database work is one
 * long chain of promise callbacks during which no socket is read: a platform's next events, and
 * the acknowledgements they are owed within 3 seconds, would wait for the whole chain. With a
 * turn per message, the longest anything waits for the database is one statement.
 */
export function yieldBetweenStatements(pglite: PGlite): void {
  const execute = pglite.execProtocolRaw.bind(pglite);
  pglite.execProtocolRaw = async (message, options) => {
    await new Promise((resolve) => setImmediate(resolve));
    return execute(message, options);
  };
}
