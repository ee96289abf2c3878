import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Figure, machine, RESULT_PREFIX } from "./harness.ts";

/**
 * `npm run bench [-- scenario ...] [--quick]`: runs each scenario in its own process, one at a
 * time (two cores: a second scenario would only measure the first), then prints one table of
 * figure / target / pass and exits 1 when any target is missed or a scenario fails.
 */

const SCENARIOS = ["start", "sweep", "dispatch", "answers", "memory"] as const;

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

interface ScenarioResult {
  scenario: string;
  figures: Figure[];
  error?: string;
  seconds: number;
}

function postgresAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(5432, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    setTimeout(() => done(false), 2_000).unref();
  });
}

function runOne(name: string, quick: boolean, env: NodeJS.ProcessEnv): Promise<ScenarioResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const args = ["--import", "tsx", join(here, "scenarios", `${name}.ts`), ...(quick ? ["--quick"] : [])];
    // --expose-gc lets the memory scenario measure settled memory, not garbage waiting for collection.
    const child = spawn(process.execPath, ["--expose-gc", ...args], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      const line = stdout
        .split("\n")
        .reverse()
        .find((l) => l.startsWith(RESULT_PREFIX));
      if (!line) {
        resolve({ scenario: name, figures: [], error: `exited ${code} without a result`, seconds });
        return;
      }
      const parsed = JSON.parse(line.slice(RESULT_PREFIX.length)) as { figures: Figure[]; error?: string };
      const error = parsed.error ?? (code === 0 ? undefined : `exited ${code}`);
      resolve({ scenario: name, figures: parsed.figures, seconds, ...(error ? { error } : {}) });
    });
  });
}

function formatValue(f: Figure): string {
  if (f.skipped) return "skipped";
  // NaN travels through JSON as null: a figure the run never reached (e.g. the last answer stored).
  if (typeof f.value !== "number" || !Number.isFinite(f.value)) return "not reached";
  const digits = Math.abs(f.value) >= 100 ? 0 : Math.abs(f.value) >= 10 ? 1 : 2;
  return `${f.value.toFixed(digits)} ${f.unit}`.trim();
}

function table(results: ScenarioResult[]): string {
  const rows: string[][] = [["Scenario", "Figure", "Value", "Target", "Result"]];
  for (const result of results) {
    if (result.error) rows.push([result.scenario, "(scenario failed)", "-", "-", `FAIL: ${result.error}`]);
    for (const f of result.figures) {
      rows.push([f.scenario, f.name, formatValue(f), f.target, f.skipped ? `skipped: ${f.skipped}` : f.pass ? "pass" : "FAIL"]);
    }
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [line(rows[0] ?? []), rule, ...rows.slice(1).map(line)].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const asked = args.filter((a) => !a.startsWith("--"));
  const unknown = asked.filter((a) => !(SCENARIOS as readonly string[]).includes(a));
  if (unknown.length) {
    process.stderr.write(`unknown scenario ${unknown.join(", ")}; choose from ${SCENARIOS.join(", ")}\n`);
    process.exit(2);
  }
  const chosen = asked.length ? asked : [...SCENARIOS];
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" };
  if (!env.BENCH_DATABASE_URL && !env.TEST_DATABASE_URL && (await postgresAnswers())) {
    env.TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test";
  }
  const postgres = env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL;
  const started = performance.now();
  process.stderr.write(`Benchmarks on ${machine()}\nPostgreSQL: ${postgres ?? "none (its figures are skipped)"}\n`);

  const results: ScenarioResult[] = [];
  for (const name of chosen) {
    process.stderr.write(`\n== ${name}${quick ? " (quick)" : ""}\n`);
    const result = await runOne(name, quick, env);
    process.stderr.write(`== ${name}: ${result.error ? `failed (${result.error})` : "done"} in ${result.seconds.toFixed(0)} s\n`);
    results.push(result);
  }

  const totalSeconds = (performance.now() - started) / 1000;
  // Quick runs use sizes too small for the time and memory targets to mean anything; counts still must hold.
  const failed = results.some((r) => r.error || r.figures.some((f) => !f.skipped && !f.pass && (!quick || f.correctness)));
  const report = [
    `Machine: ${machine()}`,
    `Database: PGlite (embedded)${postgres ? ` and PostgreSQL at ${new URL(postgres).host}` : ""}`,
    `Date: ${new Date().toISOString()}${quick ? " (quick sizes: figures are not held to targets)" : ""}`,
    "",
    table(results),
    "",
    `Total time: ${(totalSeconds / 60).toFixed(1)} min. ${failed ? "Some targets were missed." : "Every target met."}`,
  ].join("\n");
  process.stdout.write(`\n${report}\n`);
  mkdirSync(join(root, ".tmp"), { recursive: true });
  writeFileSync(join(root, ".tmp", quick ? "bench-quick.md" : "bench-last.md"), `${report}\n`);
  writeFileSync(
    join(root, ".tmp", quick ? "bench-quick.json" : "bench-last.json"),
    JSON.stringify({ machine: machine(), results }, null, 2),
  );
  process.exit(failed ? 1 : 0);
}

void main();
