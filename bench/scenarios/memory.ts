import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  adminQuery,
  type BenchDatabaseKind,
  type Figure,
  log,
  noPostgresReason,
  postgresUrl,
  round,
  runScenario,
  skippedFigure,
} from "../harness.ts";
import { startArgs } from "../support/memoryLaunch.ts";
import { MEMORY_DAY_PREFIX, type MemoryDayResult } from "../support/memoryProtocol.ts";

/**
 * Resident set size after a simulated day with 10,000 residents: the whole bot, every minute of
 * the day swept and delivered, residents answering (or not) through the dispatcher. Each database
 * is measured in its own process, so PGlite's WebAssembly memory never colours the PostgreSQL
 * figure, and that process is started as `npm start` starts the bot (its node flags and launcher).
 */

const SCENARIO = "memory";
const TARGET_MB: Record<BenchDatabaseKind, number> = { pglite: 400, postgres: 200 };
const LABEL: Record<BenchDatabaseKind, string> = { pglite: "PGlite (file)", postgres: "PostgreSQL" };

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

/** Runs one step of the day (`seed` or `day`) in a process of its own; the day's result, if it printed one. */
function runStep(kind: BenchDatabaseKind, step: "seed" | "day", location: string, quick: boolean): Promise<MemoryDayResult | null> {
  return new Promise((resolve, reject) => {
    // Run as `npm start` runs the bot. --expose-gc only lets the day collect garbage before it measures.
    const args = startArgs(root, "bench/support/memoryDay.ts", [kind, step, location, ...(quick ? ["--quick"] : [])], ["--expose-gc"]);
    const child = spawn(process.execPath, args, { cwd: root, env: process.env, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`the ${kind} ${step} step exited ${code}`));
        return;
      }
      const line = stdout.split("\n").find((l) => l.startsWith(MEMORY_DAY_PREFIX));
      resolve(line ? (JSON.parse(line.slice(MEMORY_DAY_PREFIX.length)) as MemoryDayResult) : null);
    });
  });
}

/** A new, empty place for the bot's data: a temporary data directory, or a throwaway PostgreSQL database. */
async function freshLocation(kind: BenchDatabaseKind): Promise<{ location: string; remove(): Promise<void> }> {
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "checkin-memory-"));
    return { location: dir, remove: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `checkin_bench_memory_${randomBytes(5).toString("hex")}`;
  await adminQuery(postgresUrl as string, `CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl as string);
  url.pathname = `/${name}`;
  return { location: url.toString(), remove: () => adminQuery(postgresUrl as string, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The population is written by one process, then the day is lived by another that opens the database as `npm start` does. */
async function liveDay(kind: BenchDatabaseKind, quick: boolean): Promise<MemoryDayResult> {
  const { location, remove } = await freshLocation(kind);
  try {
    if (!quick) await runStep(kind, "seed", location, quick);
    const result = await runStep(kind, "day", location, quick);
    if (!result) throw new Error(`the ${kind} day printed no result`);
    return result;
  } finally {
    await remove();
  }
}

function figuresOf(day: MemoryDayResult, quick: boolean): Figure[] {
  const label = LABEL[day.kind];
  const target = TARGET_MB[day.kind];
  const c = day.counts;
  const slowest = Object.entries(day.sweepSeconds).sort((a, b) => b[1] - a[1])[0];
  const size = `${day.minutes / 60} h, ${day.residents.toLocaleString("en-GB")} residents`;
  const chartThread = day.chartThreadEnded
    ? `after the chart thread ended by itself (waited ${round(day.chartThreadWaitSeconds, 0)} s)`
    : "with the chart thread still running";
  return [
    {
      scenario: SCENARIO,
      name: `RSS after ${size}, ${label}`,
      value: round(day.rssAfterDayMb, 0),
      unit: "MB",
      target: `< ${target} MB`,
      pass: day.rssAfterDayMb < target,
      note:
        `settled after full GC with the bot still running, ${chartThread}; before the day ${round(day.rssBeforeDayMb, 0)} MB, ` +
        `V8 heap ${round(day.heapUsedMb, 0)} of ${round(day.heapTotalMb, 0)} MB used, external ${round(day.externalMb, 0)} MB, ` +
        `anonymous ${round(day.anonMb, 0)} MB + mapped files ${round(day.fileMb, 0)} MB; the day took ${round(day.daySeconds, 0)} s: ` +
        `sweeps ${round(day.stepSeconds.sweeps, 0)} s` +
        (slowest ? ` (${slowest[0]} ${round(slowest[1], 0)} s)` : "") +
        `, deliveries and answers ${round(day.stepSeconds.deliveriesAndAnswers, 0)} s`,
    },
    {
      scenario: SCENARIO,
      name: `peak RSS during those ${day.minutes / 60} h, ${label}`,
      value: round(day.peakRssMb, 0),
      unit: "MB",
      target: "reported",
      pass: true,
      note: "highest resident set seen after any minute's sweep, deliveries and answers; garbage not yet collected included",
    },
    {
      scenario: SCENARIO,
      name: `prompts sent, ${label}`,
      value: c.prompts,
      unit: "",
      target: "= check-ins prompted",
      pass:
        c.prompts === c.promptedCheckins &&
        c.promptRowsSent === c.promptedCheckins &&
        c.promptedCheckins >= (quick ? 1 : day.residents * 0.9),
      correctness: true,
      note: `${c.promptedCheckins} check-ins prompted, ${c.promptRowsSent} prompt rows sent; ${c.reminders} reminders, ${c.missed} missed, ${c.alerts} alerts (${c.alertNotifications} alert DMs), ${c.undelivered} rows still queued at the end`,
    },
    {
      scenario: SCENARIO,
      name: `answers stored, ${label}`,
      value: c.answeredCheckins,
      unit: "",
      target: "= answers given",
      pass: c.answeredCheckins === c.answersGiven && c.eventsWithoutReply === 0,
      correctness: true,
      note: `${c.answersGiven} residents answered through the dispatcher (${c.inboundEvents} events with counsellors' presses, ${c.eventsWithoutReply} without a reply)`,
    },
  ];
}

runScenario(SCENARIO, async ({ quick }) => {
  const kinds: BenchDatabaseKind[] = postgresUrl ? ["pglite", "postgres"] : ["pglite"];
  log(`a simulated day on ${kinds.map((k) => LABEL[k]).join(" and ")} at once${quick ? " (quick)" : ""}`);
  // The two days run side by side, a process each: resident memory does not depend on how much
  // CPU a process gets, and one core each halves the scenario's share of the bench's time.
  const days = await Promise.all(kinds.map((kind) => liveDay(kind, quick)));
  const figures = days.flatMap((day) => figuresOf(day, quick));
  if (!postgresUrl) {
    figures.push(skippedFigure(SCENARIO, `RSS after 24 h, ${LABEL.postgres}`, "MB", `< ${TARGET_MB.postgres} MB`, noPostgresReason));
  }
  return figures;
});
