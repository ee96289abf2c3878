import type { PGlite, QueryOptions, Results, Transaction } from "@electric-sql/pglite";

/** Statements kept prepared at once; the least recently used is closed beyond this. */
export const MAX_PREPARED_STATEMENTS = 256;

type PgliteModule = typeof import("@electric-sql/pglite");
type BackendMessage = Awaited<ReturnType<PGlite["execProtocolStream"]>>[number];

interface PreparedStatement {
  name: string;
  paramTypes: number[];
  /** The statement's result columns (RowDescription), or nothing for a statement without rows. */
  columns: BackendMessage | undefined;
}

export interface PreparedStatementStats {
  prepared: number;
  executions: number;
}

/**
 * Runs the statements Prisma sends through PGlite as named prepared statements, each sent to
 * PostgreSQL in one message buffer. PGlite's own query() parses and plans every statement anew
 * and drives it through six separate calls into WebAssembly (parse, describe, bind, describe,
 * execute, sync); Prisma's statements repeat endlessly with new parameters, so planning once per
 * statement text and binding after that measured 0.21 ms against 0.7 ms for a two-join lookup.
 *
 * The statements run under PGlite's own locks (a query outside a transaction waits for any
 * transaction to finish, as query() does), and errors are PGlite's DatabaseError, as before.
 * A statement that fails to prepare is not kept. Statements with options this path does not
 * handle (a blob, explicit parameter types) go to PGlite's own query().
 *
 * Prisma's adapter also hands PGlite its value parsers with every statement, and PGlite merged
 * them into its table of about 300 (one per array type) with an object spread each time: 164 µs
 * a statement, more than a simple indexed read costs. The adapter's table (recognised by
 * identity when it first appears) is made PGlite's own once and left off every statement, on
 * both paths; a statement that brings parsers of its own keeps them. Nothing else queries this
 * PGlite once Prisma owns it (migrations run before), so the merged table changes no other reader.
 */
export function usePreparedStatements(pglite: PGlite): PreparedStatementStats {
  const stats: PreparedStatementStats = { prepared: 0, executions: 0 };
  const statements = new Map<string, PreparedStatement>();
  let sequence = 0;
  let library: Promise<PgliteModule> | undefined;

  async function execute(sql: string, params: unknown[], options: QueryOptions | undefined): Promise<Results> {
    // PGlite's module is already loaded once a PGlite exists; imported here so a bot on
    // PostgreSQL, which imports this file with the rest of src/db, never loads it.
    if (!library) library = import("@electric-sql/pglite");
    const { parse, protocol } = await library;
    const { serialize } = protocol;
    let statement = statements.get(sql);
    if (statement) {
      // Map order is recency: re-inserting marks it most recently used.
      statements.delete(sql);
      statements.set(sql, statement);
    } else {
      const name = `prisma_${++sequence}`;
      const described = await pglite.execProtocolStream(
        concat([serialize.parse({ name, text: sql }), serialize.describe({ type: "S", name }), serialize.sync()]),
        { syncToFs: false },
      );
      statement = {
        name,
        paramTypes: parse.parseDescribeStatementResults(described),
        columns: described.find((m) => m.name === "rowDescription"),
      };
      statements.set(sql, statement);
      stats.prepared += 1;
      if (statements.size > MAX_PREPARED_STATEMENTS) await closeLeastRecentlyUsed(serialize);
    }
    const paramTypes = statement.paramTypes;
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = options?.serializers?.[paramTypes[i] as number] ?? pglite.serializers[paramTypes[i] as number];
      return serializer ? serializer(param) : String(param);
    });
    const result = await pglite.execProtocolStream(
      concat([serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()]),
      { syncToFs: false },
    );
    stats.executions += 1;
    const messages = statement.columns ? [statement.columns, ...result] : result;
    return parse.parseResults(messages, pglite.parsers, options)[0] as Results;
  }

  async function closeLeastRecentlyUsed(serialize: PgliteModule["protocol"]["serialize"]): Promise<void> {
    const [oldestSql, oldest] = statements.entries().next().value as [string, PreparedStatement];
    statements.delete(oldestSql);
    // A close that fails (say, in an aborted transaction) only leaves a statement prepared.
    await pglite.execProtocolStream(concat([serialize.close({ type: "S", name: oldest.name }), serialize.sync()]), {
      syncToFs: false,
      throwOnError: false,
    });
  }

  /**
   * Prepared statements would otherwise switch to a generic plan after five executions, and a
   * generic plan may return rows whose order the SQL leaves open in a different order than the
   * plan PostgreSQL picks for the actual values (the only plan an unnamed statement ever gets).
   * Custom plans keep every statement doing exactly what it did before; the saving kept is
   * parsing and analysis, most of the cost. SET is transactional, so it is issued outside any
   * transaction, before the first prepared statement.
   */
  let customPlansOnly = false;
  async function ensureCustomPlansOnly(): Promise<boolean> {
    if (customPlansOnly) return true;
    if (pglite.isInTransaction()) return false;
    await pglite.exec("SET plan_cache_mode = force_custom_plan");
    customPlansOnly = true;
    return true;
  }

  const handled = (options: QueryOptions | undefined) => !options?.blob && !options?.paramTypes;

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
  pglite.query = (async <T>(sql: string, params: unknown[] = [], given?: QueryOptions) => {
    const options = withoutAdapterParsers(given);
    if (!handled(options) || !(await ensureCustomPlansOnly())) return query<T>(sql, params, options);
    // As PGlite's query(): wait for any transaction, then for the connection. The file system
    // sync PGlite would run afterwards does nothing for the node and memory file systems used here.
    return pglite._runExclusiveTransaction(() => pglite._runExclusiveQuery(() => execute(sql, params, options)));
  }) as PGlite["query"];

  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = (<T>(callback: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      tx.query = (async <R>(sql: string, params: unknown[] = [], given?: QueryOptions) => {
        const options = withoutAdapterParsers(given);
        if (!handled(options) || !customPlansOnly) return txQuery<R>(sql, params, options);
        if (tx.closed) throw new Error("Transaction is closed");
        return pglite._runExclusiveQuery(() => execute(sql, params, options));
      }) as Transaction["query"];
      return callback(tx);
    })) as PGlite["transaction"];

  return stats;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const buffer = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    buffer.set(part, offset);
    offset += part.length;
  }
  return buffer;
}
