import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `npm run bench` is not part of `npm test` (it takes minutes and measures time), but its code
 * must not rot between the runs that record docs/performance.md. Each scenario runs here at its
 * quick size, where only counts are held to their targets: nothing lost, nothing sent twice,
 * every answer stored. Times are printed by the bench, never asserted here.
 */

const root = path.resolve(import.meta.dirname, "../..");

function runBench(scenario: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/run.ts", scenario, "--quick"], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the benchmarks, at quick size", () => {
  for (const scenario of ["start", "sweep", "dispatch", "answers", "memory"]) {
    it(`${scenario}: runs to the end, and its counts hold`, async () => {
      const run = await runBench(scenario);
      const rows = run.stdout.split("\n").filter((line) => line.startsWith(`| ${scenario} `));
      expect(rows.length, `${run.stdout}\n${run.stderr}`).toBeGreaterThan(0);
      expect(run.stdout).not.toContain("(scenario failed)");
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    }, 240_000);
  }
});
