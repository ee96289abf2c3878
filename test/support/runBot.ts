import { spawn } from "node:child_process";
import path from "node:path";
import { startArgs } from "../../bench/support/memoryLaunch.ts";

const root = path.resolve(import.meta.dirname, "../..");

export interface BotRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the bot as `npm start` does (its node flags and launcher, from package.json) as a child
 * process, types `input` into it line by line and waits for it to exit. Each line is typed only
 * once the prompt shows again, as a person would.
 */
export function runBot(env: Record<string, string>, lines: string[], timeoutMs = 60_000, args: string[] = []): Promise<BotRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, startArgs(root, "src/main.ts", args), {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const queue = [...lines];
    let prompts = 0;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bot did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      // Type the next line each time a new prompt appears, as a person would.
      // The chat prompt, or a form's question.
      const seen = (stdout.match(/\] > |\n {2}\? [^\n]*: /g) ?? []).length;
      while (seen > prompts && queue.length) {
        prompts = seen;
        child.stdin.write(`${queue.shift()}\n`);
      }
      if (!queue.length && seen > prompts) child.stdin.end();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
