import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Message } from "../../../src/core/message.ts";

/**
 * A fake chat platform on 127.0.0.1 that every bot process of a test posts its sends to. It keeps
 * what it accepted (the "platform's" copy of every message), gives each a message id, and can be
 * told to fail a share of sends the way real platforms do: HTTP 500, 429 with Retry-After, or a
 * request that never answers (a timeout). It can also accept one send and then hold its answer, so
 * a test can kill the sending process at exactly that moment.
 */

export type SinkKind = "direct" | "channel" | "update";

/** What a bot process posts for one send. */
export interface SinkRequest {
  worker: string;
  kind: SinkKind;
  /** Platform user id (direct) or channel id (channel, update). */
  to: string;
  /** For updates: the message being edited. */
  messageId?: string;
  message: Message;
}

/** A send the platform accepted: the message now exists for its reader. */
export interface SinkRecord extends SinkRequest {
  seq: number;
  channelId: string;
  /** For sends, the id given to the new message; for updates, the message edited. */
  refMessageId: string;
}

export type SinkOutcome = "ok" | "http500" | "http429" | "timeout" | "held" | "refused";

export interface SinkAttempt {
  seq: number;
  worker: string;
  kind: SinkKind;
  to: string;
  message: Message;
  outcome: SinkOutcome;
}

/** Shares (0-1) of sends that fail, drawn from a seeded generator so a run can be repeated. */
export interface SinkFaults {
  http500?: number;
  http429?: number;
  timeout?: number;
  /** What a 429 says in Retry-After. */
  retryAfterSeconds?: number;
  seed?: number;
}

/** mulberry32: a small seeded generator, good enough to pick which sends fail. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Hold {
  match: (request: SinkRequest) => boolean;
  accept: boolean;
  resolve: (request: SinkRequest) => void;
}

export class ChatSink {
  /** Every send the platform accepted, in arrival order. */
  readonly records: SinkRecord[] = [];
  /** Every request, accepted or not. */
  readonly attempts: SinkAttempt[] = [];
  private faults: Required<SinkFaults> = { http500: 0, http429: 0, timeout: 0, retryAfterSeconds: 30, seed: 1 };
  private random = seededRandom(1);
  private refusing: Array<(request: SinkRequest) => boolean> = [];
  private held: Hold | null = null;
  private readonly waiting = new Set<ServerResponse>();
  private seq = 0;
  private port = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ChatSink> {
    let sink: ChatSink | null = null;
    const server = createServer((req, res) => {
      void sink?.route(req, res).catch((error: unknown) => {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: String(error) }));
      });
    });
    sink = new ChatSink(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    sink.port = (server.address() as AddressInfo).port;
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setFaults(faults: SinkFaults): void {
    this.faults = { http500: 0, http429: 0, timeout: 0, retryAfterSeconds: 30, seed: 1, ...faults };
    this.random = seededRandom(this.faults.seed);
  }

  /** Sends matching `match` fail with HTTP 500 every time, until cleared. */
  refuse(match: (request: SinkRequest) => boolean): void {
    this.refusing.push(match);
  }

  clearRefusals(): void {
    this.refusing = [];
  }

  /**
   * Holds the next matching send and never answers it, so the test can kill the sender while it
   * waits. With `accept` the platform has already posted the message (the sender just never hears
   * so); without, the request never got that far. Resolves with the held request.
   */
  hold(match: (request: SinkRequest) => boolean, options: { accept: boolean }): Promise<SinkRequest> {
    return new Promise((resolve) => {
      this.held = { match, accept: options.accept, resolve };
    });
  }

  /** Accepted sends, counted by whatever key the caller derives from each. */
  countBy(key: (record: SinkRecord) => string | null): Map<string, number> {
    const counts = new Map<string, number>();
    for (const record of this.records) {
      const k = key(record);
      if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
  }

  outcomes(): Record<SinkOutcome, number> {
    const counts: Record<SinkOutcome, number> = { ok: 0, http500: 0, http429: 0, timeout: 0, held: 0, refused: 0 };
    for (const attempt of this.attempts) counts[attempt.outcome]++;
    return counts;
  }

  async close(): Promise<void> {
    for (const res of this.waiting) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST" || req.url !== "/send") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as SinkRequest;
    const seq = ++this.seq;
    const attempt = (outcome: SinkOutcome) =>
      this.attempts.push({ seq, worker: request.worker, kind: request.kind, to: request.to, message: request.message, outcome });

    if (this.refusing.some((match) => match(request))) {
      attempt("refused");
      return json(res, 500, { error: "internal error" });
    }
    if (this.held?.match(request)) {
      const { resolve, accept } = this.held;
      this.held = null;
      attempt("held");
      if (accept) this.accept(seq, request);
      this.waiting.add(res);
      res.on("close", () => this.waiting.delete(res));
      resolve(request);
      return;
    }
    const roll = this.random();
    const { http500, http429, timeout } = this.faults;
    if (roll < http500) {
      attempt("http500");
      return json(res, 500, { error: "internal error" });
    }
    if (roll < http500 + http429) {
      attempt("http429");
      return json(res, 429, { error: "rate limited" }, { "retry-after": String(this.faults.retryAfterSeconds) });
    }
    if (roll < http500 + http429 + timeout) {
      // Never answered: the sender gives up on its own timeout. Nothing was posted.
      attempt("timeout");
      this.waiting.add(res);
      res.on("close", () => this.waiting.delete(res));
      return;
    }
    attempt("ok");
    const record = this.accept(seq, request);
    json(res, 200, { channelId: record.channelId, messageId: record.refMessageId });
  }

  private accept(seq: number, request: SinkRequest): SinkRecord {
    const channelId = request.kind === "direct" ? `dm-${request.to}` : request.to;
    const record: SinkRecord = { ...request, seq, channelId, refMessageId: request.messageId ?? `s${seq}` };
    this.records.push(record);
    return record;
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The check-in a prompt or reminder belongs to, read from its buttons (`ci:f:<checkinId>:steady`). */
export function checkinIdOf(message: Message): string | null {
  for (const row of message.buttons ?? []) {
    for (const button of row) {
      const parts = button.actionId.split(":");
      if (parts[0] === "ci" && parts[1] === "f" && parts[2]) return parts[2];
    }
  }
  return null;
}
