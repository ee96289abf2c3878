import { randomBytes } from "node:crypto";
import { cpus, totalmem } from "node:os";
import pg from "pg";
import { type Database, openDatabase } from "../src/db/client.ts";

/**
 * What every benchmark scenario shares: how a figure is reported, how a scenario hands its
 * figures to `bench/run.ts`, and the databases it measures on. A scenario is its own process,
 * so one scenario's memory and timers never colour another's figures.
 */

export interface Figure {
  scenario: string;
  /** What was measured, e.g. "sweep, 100,000 residents, PGlite". */
  name: string;
  value: number;
  unit: string;
  /** The target in words, e.g. "< 100 ms". */
  target: string;
  pass: boolean;
  /** Anything a reader needs to trust the figure: counts, duplicates, the slowest run. */
  note?: string;
  /**
   * A count that must hold at any size (nothing lost, nothing sent twice), as opposed to a time or
   * a size: in quick runs only these can fail.
   */
  correctness?: boolean;
  /** A figure that could not be measured here (no PostgreSQL): printed, neither pass nor fail. */
  skipped?: string;
}

export interface ScenarioOptions {
  /** Small sizes, for the smoke test that keeps the scenarios working; figures are not targets then. */
  quick: boolean;
}

/** The line `bench/run.ts` reads from a scenario's stdout. Everything else a scenario says goes to stderr. */
export const RESULT_PREFIX = "BENCH_RESULT ";

export function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

export function figure(f: Figure): Figure {
  return f;
}

export function skippedFigure(scenario: string, name: string, unit: string, target: string, reason: string): Figure {
  return { scenario, name, value: Number.NaN, unit, target, pass: true, skipped: reason };
}

/** Runs a scenario as a process's whole job and prints its figures for the runner. */
export function runScenario(name: string, body: (options: ScenarioOptions) => Promise<Figure[]>): void {
  const quick = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";
  // A scenario whose last handle closed while it still awaited something would otherwise end
  // with exit code 0 and no figures; say what happened instead.
  process.once("beforeExit", () => {
    process.stderr.write(`${name} stopped before it finished: it was waiting on something that could never happen\n`);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ scenario: name, error: "stopped before it finished", figures: [] })}\n`);
    process.exitCode = 1;
  });
  body({ quick })
    .then((figures) => {
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ scenario: name, figures })}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ scenario: name, error: String(error), figures: [] })}\n`);
      process.exit(1);
    });
}

/** The p-th percentile (0–100) of some samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${process.platform}`;
}

/**
 * The PostgreSQL server benchmarks may use: BENCH_DATABASE_URL, else TEST_DATABASE_URL (the
 * runner fills that in when a server answers on 127.0.0.1:5432, as `.ci/run` does).
 */
export const postgresUrl: string | undefined = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
export const noPostgresReason = "no PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL";

export type BenchDatabaseKind = "pglite" | "postgres";

export interface BenchDatabase {
  database: Database;
  kind: BenchDatabaseKind;
  /** Closes the database and, on PostgreSQL, drops the throwaway database. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database: an in-memory PGlite, or a throwaway database on the PostgreSQL
 * server, opened exactly as the bot opens its own.
 */
export async function openBenchDatabase(kind: BenchDatabaseKind): Promise<BenchDatabase> {
  if (kind === "pglite") {
    const database = await openDatabase({ dataDir: "memory://" });
    return { database, kind, dispose: () => database.close() };
  }
  if (!postgresUrl) throw new Error(noPostgresReason);
  const name = `checkin_bench_${randomBytes(5).toString("hex")}`;
  await adminQuery(postgresUrl, `CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: "memory://" });
  return {
    database,
    kind,
    async dispose() {
      await database.close();
      await adminQuery(postgresUrl as string, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** One statement on the PostgreSQL server outside any bench database: creating or dropping one. */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Milliseconds an async step takes, by the monotonic clock. */
export async function timed<T>(step: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await step();
  return { ms: performance.now() - start, result };
}
