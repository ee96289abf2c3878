import type { PGlite } from "@electric-sql/pglite";

type QueryOptions = NonNullable<Parameters<PGlite["query"]>[2]>;

/**
 * Makes Prisma's adapter's value parsers PGlite's own, instead of handing them over with every
 * statement. PGlite merges per-statement parsers into its table of about 300 (one per array type)
 * with an object spread on every statement it runs, which measured 164 µs a statement: more than
 * a simple indexed read costs, and over a millisecond of every check-in answer.
 *
 * Only the adapter's parser table (recognised by identity on first use) is moved; a statement
 * that brings parsers of its own keeps them. Nothing else queries this PGlite once Prisma owns it
 * (migrations run before), so the merged table changes no other reader.
 */
export function installAdapterParsersOnce(pglite: PGlite): void {
  let adapterParsers: QueryOptions["parsers"] | undefined;
  /** The options to run a statement with: the adapter's parsers moved into PGlite's table. */
  function withoutAdapterParsers(options: QueryOptions | undefined): QueryOptions | undefined {
    if (!options?.parsers) return options;
    if (adapterParsers === undefined) {
      adapterParsers = options.parsers;
      Object.assign(pglite.parsers, adapterParsers);
    }
    if (options.parsers !== adapterParsers) return options;
    const { parsers: _moved, ...rest } = options;
    return rest;
  }
  const query = pglite.query.bind(pglite);
  pglite.query = ((sql: string, params?: unknown[], options?: QueryOptions) =>
    query(sql, params, withoutAdapterParsers(options))) as PGlite["query"];
  // A transaction's statements reach PGlite through the transaction object, not pglite.query.
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = ((callback) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      tx.query = ((sql: string, params?: unknown[], options?: QueryOptions) =>
        txQuery(sql, params, withoutAdapterParsers(options))) as typeof tx.query;
      return callback(tx);
    })) as PGlite["transaction"];
}
