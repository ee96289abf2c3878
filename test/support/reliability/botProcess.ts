import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import path from "node:path";
import { startArgs } from "../../../bench/support/memoryLaunch.ts";

const root = path.resolve(import.meta.dirname, "../../..");

/**
 * The bot as `npm start` runs it (its node flags and launcher, from package.json) as a child
 * process, left running: the test reads its output as it comes, types into it, and stops it with
 * a signal of its choosing.
 */
export class BotProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  private readonly child: ChildProcessWithoutNullStreams;
  private trigger: { check: (stdout: string) => boolean; signal: NodeJS.Signals; resolve: (at: number) => void } | null = null;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, startArgs(root, "src/main.ts", []), {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.stdout += chunk.toString();
      if (this.trigger?.check(this.stdout)) {
        const { signal, resolve } = this.trigger;
        this.trigger = null;
        resolve(this.signal(signal));
      }
    });
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => resolve({ code, signal, at: Date.now() }));
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Waits until `check` holds on what the bot has printed so far. */
  async waitFor(check: (stdout: string) => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.stdout)) {
      if (this.child.exitCode !== null) throw new Error(`the bot exited early:\n${this.stdout.slice(-2000)}\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for the bot:\n${this.stdout.slice(-2000)}\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends `signal` the moment the output satisfies `check` (not at the next poll); resolves with when. */
  signalWhen(check: (stdout: string) => boolean, signal: NodeJS.Signals): Promise<number> {
    return new Promise((resolve) => {
      this.trigger = { check, signal, resolve };
    });
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  signal(signal: NodeJS.Signals): number {
    this.child.kill(signal);
    return Date.now();
  }
}

/** The lines the console prints for each DM the outbox delivers to someone other than the person typing. */
export function directMessagesIn(stdout: string): string[] {
  return [...stdout.matchAll(/bot → DM to ([^:\n]+):\n\s*(.*)/g)].map((m) => `${m[1]}|${m[2]}`);
}
