import { type ChildProcess, spawn } from "node:child_process";
import { hostname } from "node:os";
import path from "node:path";
import type { InboundEvent } from "../../../src/core/events.ts";
import type { DeliverTotals, WorkerCommand, WorkerReply } from "./protocol.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const entry = path.join(import.meta.dirname, "worker.ts");

type Pending = { resolve: (reply: WorkerReply & { type: "done" }) => void; reject: (error: Error) => void };

/** Distributes a command without its id, so callers never number them. */
type Command<T extends WorkerCommand["type"]> = Omit<Extract<WorkerCommand, { type: T }>, "id">;

/**
 * A bot process started by a test (test/support/reliability/worker.ts), driven over IPC: sweep at
 * an instant, deliver the outbox until nothing is due, handle an inbound event, stop; or be killed.
 */
export class WorkerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderrText = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrText += chunk.toString();
    });
    child.on("message", (reply: WorkerReply) => {
      if (!("id" in reply)) return;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.type === "failed") waiting.reject(new Error(`${name}: ${reply.error}`));
      else waiting.resolve(reply);
    });
    this.exited = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        for (const waiting of this.pending.values()) waiting.reject(new Error(`${name} exited (${signal ?? code})`));
        this.pending.clear();
        resolve({ code, signal });
      });
    });
  }

  static async start(name: string, env: { databaseUrl: string; sinkUrl: string; sendTimeoutMs?: number }): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_URL: env.databaseUrl,
        SINK_URL: env.sinkUrl,
        WORKER_NAME: name,
        SEND_TIMEOUT_MS: String(env.sendTimeoutMs ?? 1000),
      },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    const worker = new WorkerProcess(name, child);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        if (reply.type === "ready") {
          child.off("message", onMessage);
          resolve();
        }
      };
      child.on("message", onMessage);
      void worker.exited.then(() => reject(new Error(`${name} did not start:\n${worker.stderr}`)));
    });
    return worker;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The outbox `claimedBy` of this process: createApp names its worker `<host>:<pid>:<random>`. */
  get claimPrefix(): string {
    return `${hostname()}:${this.pid}:`;
  }

  /** What the process logged (pino JSON at warn and above). */
  get stderr(): string {
    return this.stderrText;
  }

  /** Log entries at error level or above: a sweep that failed is logged, not thrown. */
  errors(): string[] {
    return this.stderrText.split("\n").filter((line) => /"level":(50|60)/.test(line));
  }

  private request<T extends WorkerCommand["type"]>(command: Command<T>): Promise<WorkerReply & { type: "done" }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...command, id } as WorkerCommand);
    });
  }

  async sweep(now: Date): Promise<void> {
    await this.request<"sweep">({ type: "sweep", now: now.toISOString() });
  }

  async deliver(now: Date): Promise<DeliverTotals> {
    const reply = await this.request<"deliver">({ type: "deliver", now: now.toISOString() });
    if (!reply.totals) throw new Error(`${this.name} answered deliver without totals`);
    return reply.totals;
  }

  async inbound(now: Date, event: InboundEvent): Promise<string[]> {
    const reply = await this.request<"inbound">({ type: "inbound", now: now.toISOString(), event });
    return reply.replies ?? [];
  }

  /** A clean stop: finish or hand back what it holds, close the database, exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await this.request<"stop">({ type: "stop" }).catch(() => undefined);
    await this.exited;
  }

  /** kill -9: no chance to release anything. */
  async kill(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.exited;
  }
}
