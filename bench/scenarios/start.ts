import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Figure, log, median, noPostgresReason, postgresUrl, round, runScenario, skippedFigure } from "../harness.ts";

/**
 * From `npm start` to ready, on a database that already exists: the time a counsellor waits
 * after a restart before residents' answers are heard again. Ready is the console's first
 * prompt, which appears only after the database is open, migrations are checked and every
 * adapter and timer has started (the same moment "bot started" is logged).
 */

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const TARGET_MS = 3_000;

function startOnce(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(npm, ["start", "--silent"], { cwd: root, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let readyAfter: number | null = null;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no prompt within 60 s\n${stdout}\n${stderr}`));
    }, 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (readyAfter === null && stdout.includes("] > ")) {
        readyAfter = performance.now() - started;
        // Closing the console is how a person stops it; the bot then stops cleanly.
        child.stdin.end();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (readyAfter === null) reject(new Error(`npm start exited ${code} before it was ready\n${stdout}\n${stderr}`));
      else if (code !== 0) reject(new Error(`npm start exited ${code} after the console closed\n${stderr}`));
      else resolve(readyAfter);
    });
  });
}

async function measure(label: string, env: NodeJS.ProcessEnv, runs: number): Promise<number[]> {
  // The first start creates and migrates the database; only starts on an existing one count.
  const first = await startOnce(env);
  log(`${label}: first start (creates the database) ${Math.round(first)} ms`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(await startOnce(env));
    log(`${label}: start ${i + 1}: ${Math.round(times.at(-1) ?? 0)} ms`);
  }
  return times;
}

function startFigure(name: string, times: number[]): Figure {
  const typical = median(times);
  return {
    scenario: "start",
    name,
    value: round(typical / 1000, 2),
    unit: "s",
    target: `< ${TARGET_MS / 1000} s`,
    pass: typical < TARGET_MS,
    note: `median of ${times.length}; fastest ${round(Math.min(...times) / 1000, 2)} s, slowest ${round(Math.max(...times) / 1000, 2)} s`,
  };
}

runScenario("start", async ({ quick }) => {
  const runs = quick ? 1 : 5;
  const dataDir = mkdtempSync(join(tmpdir(), "bench-start-"));
  // Only what a fresh machine has: no chat tokens, so `npm start` opens the console on the embedded database.
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info" };
  const figures: Figure[] = [];
  try {
    figures.push(startFigure("npm start to ready, embedded database", await measure("PGlite", { ...base, DATA_DIR: dataDir }, runs)));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (!postgresUrl) {
    figures.push(skippedFigure("start", "npm start to ready, PostgreSQL", "s", `< ${TARGET_MS / 1000} s`, noPostgresReason));
    return figures;
  }
  const pgDataDir = mkdtempSync(join(tmpdir(), "bench-start-pg-"));
  try {
    const env = { ...base, DATA_DIR: pgDataDir, DATABASE_URL: postgresUrl };
    figures.push(startFigure("npm start to ready, PostgreSQL", await measure("PostgreSQL", env, runs)));
  } finally {
    rmSync(pgDataDir, { recursive: true, force: true });
  }
  return figures;
});
