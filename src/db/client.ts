import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { isPostgresUrl } from "./databaseUrl.ts";
import { acquireDataDirLock } from "./dataDirLock.ts";
import { applyMigrations, type SqlSession } from "./migrate.ts";
import { openPglite } from "./pglite.ts";
import { type PreparedStatementStats, usePreparedStatements } from "./pglitePrepared.ts";
import { yieldBetweenStatements } from "./pgliteTurns.ts";

export type Db = PrismaClient;
export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  prisma: Db;
  kind: DatabaseKind;
  /** Migrations applied by this open (empty when the schema was current). */
  applied: string[];
  /** The embedded database's prepared statements, counted (see pglitePrepared.ts). */
  preparedStatements?: PreparedStatementStats;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
}

export function pgliteSession(pglite: PGlite): SqlSession {
  return {
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
  };
}

function pgSession(client: pg.Client): SqlSession {
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
  };
}

/** Opens the database named by the config, applying pending migrations first. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl && isPostgresUrl(options.databaseUrl)) {
    return openPostgres(options.databaseUrl);
  }
  const releaseLock = options.dataDir.startsWith("memory://") ? () => {} : acquireDataDirLock(options.dataDir);
  try {
    const pglite = await openPglite(options.dataDir);
    const applied = await applyMigrations(pgliteSession(pglite));
    return wrapPglite(pglite, applied, releaseLock);
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * Prisma's adapter for PGlite, loaded when Prisma first connects: importing it loads PGlite's
 * code, which a bot on PostgreSQL must not carry.
 */
function pgliteAdapter(pglite: PGlite): SqlDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    async connect() {
      const { PrismaPGlite } = await import("pglite-prisma-adapter");
      return new PrismaPGlite(pglite).connect();
    },
  };
}

export function wrapPglite(pglite: PGlite, applied: string[] = [], onClose: () => void = () => {}): Database {
  yieldBetweenStatements(pglite);
  const preparedStatements = usePreparedStatements(pglite);
  const prisma = new PrismaClient({
    adapter: pgliteAdapter(pglite),
    // PGlite has one connection, so a transaction waits for every one queued before it. Under a
    // burst that can pass Prisma's 2-second default, and an answer already acknowledged to the
    // platform would be refused: waiting longer is the queue working, not a fault.
    transactionOptions: { maxWait: 15_000 },
  });
  return {
    prisma,
    kind: "pglite",
    applied,
    preparedStatements,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      onClose();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let applied: string[];
  try {
    applied = await applyMigrations(pgSession(client));
  } finally {
    await client.end();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    prisma,
    kind: "postgres",
    applied,
    close: async () => {
      await prisma.$disconnect();
    },
  };
}
