import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";
import { type WebSocket, WebSocketServer } from "ws";
import { TokenBucket } from "../tokenBucket.ts";

/**
 * A local Slack: the Web API methods the bot calls, the file upload URL, response URLs, and a
 * Socket Mode WebSocket (handed out by apps.connections.open) that delivers envelopes and
 * records the acknowledgements. Everything that happens gets a number from one counter, so a
 * test can say "acknowledged before users.info was asked" by comparing numbers.
 */

export interface ApiCall {
  seq: number;
  /** Date.now() when the call arrived. */
  at: number;
  method: string;
  args: Record<string, unknown>;
  /** The bearer token the call was made with. */
  token: string | undefined;
  /** When the answer went back (later than `seq` when the method is delayed). */
  answeredSeq?: number;
  /** What the double answered. */
  result?: Record<string, unknown>;
}

export interface SocketAck {
  seq: number;
  envelopeId: string;
  payload: unknown;
}

export interface ResponseUrlPost {
  seq: number;
  id: string;
  body: Record<string, unknown>;
}

export interface Upload {
  seq: number;
  fileId: string;
  bytes: number;
}

export interface SlackUserSpec {
  id: string;
  name: string;
  displayName?: string;
  tz?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isBot?: boolean;
}

export interface Failure {
  /** Slack's error string: `user_not_found`, `ratelimited`, `channel_not_found`… */
  error: string;
  /** Answer 429 with this Retry-After, as Slack does for rate limits. */
  retryAfterSeconds?: number;
}

/**
 * chat.postMessage pacing as Slack describes it: "1 message per second to a specific channel",
 * "several hundred messages per minute" across the workspace, "generous burst behavior"
 * (https://docs.slack.dev/reference/methods/chat.postMessage, Rate limiting). Slack publishes no
 * burst sizes, so each limit is a token bucket holding `burst` messages and regaining its rate
 * evenly.
 */
export interface PostingLimits {
  perChannelPerSecond: number;
  channelBurst: number;
  workspacePerMinute: number;
  workspaceBurst: number;
}

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

export const BOT_USER_ID = "UBOTDOUBLE";
export const BOT_ID = "BBOTDOUBLE";

/** Polls until `probe` returns something truthy. */
export async function eventually<T>(probe: () => T | undefined | null | false, timeoutMs = 5_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The WebClient sends form fields, with objects (blocks, views) as JSON strings inside them. */
function parseArgs(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = raw.toString("utf8");
  if (contentType?.includes("application/json")) return JSON.parse(text || "{}") as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseQuery(text))) {
    const single = Array.isArray(value) ? value[0] : value;
    if (typeof single === "string" && /^[[{]/.test(single)) {
      try {
        args[key] = JSON.parse(single);
        continue;
      } catch {
        // Not JSON after all: keep the string.
      }
    }
    args[key] = single;
  }
  return args;
}

export class SlackDouble {
  readonly calls: ApiCall[] = [];
  readonly acks: SocketAck[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly uploads: Upload[] = [];
  readonly users = new Map<string, SlackUserSpec>();
  teamId = "TDOUBLE";

  private seq = 0;
  private tsCounter = 0;
  private fileCounter = 0;
  private readonly failures: Array<{ method: string; failure: Failure; times: number }> = [];
  private readonly delays = new Map<string, number>();
  private postingLimits: PostingLimits | null = null;
  private readonly channelBuckets = new Map<string, TokenBucket>();
  private readonly workspaceBuckets = new Map<string, TokenBucket>();
  /** chat.postMessage calls answered 429 because a channel's or the workspace's pace was exceeded. */
  rateLimited = 0;
  private readonly sockets = new Set<WebSocket>();
  private readonly waitingAcks = new Map<string, (ack: SocketAck) => void>();
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(private readonly server: Server) {}

  static async start(): Promise<SlackDouble> {
    const server = createServer();
    const double = new SlackDouble(server);
    server.on("request", (req, res) => {
      double.route(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    server.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket")) {
        socket.destroy();
        return;
      }
      double.wss.handleUpgrade(req, socket, head, (ws) => double.onSocket(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return double;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What SLACK_API_URL points at. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  addUser(user: SlackUserSpec): void {
    this.users.set(user.id, user);
  }

  /** The next `times` calls to `method` fail the way Slack would. */
  fail(method: string, failure: Failure, times = 1): void {
    this.failures.push({ method, failure, times });
  }

  /** Every call to `method` answers only after `ms`. */
  delay(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** From now on chat.postMessage answers 429 `ratelimited` with Retry-After beyond these limits. */
  limitPosting(limits: PostingLimits): void {
    this.postingLimits = limits;
    this.channelBuckets.clear();
    this.workspaceBuckets.clear();
  }

  /** Seconds until this post may go, or 0 when it may go now (and is counted). */
  private postingWait(token: string | undefined, channel: string): number {
    const limits = this.postingLimits;
    if (!limits) return 0;
    const now = performance.now();
    const workspace = token ?? "";
    const channelKey = `${workspace}:${channel.startsWith("U") ? `D${channel.slice(1)}` : channel}`;
    let channelBucket = this.channelBuckets.get(channelKey);
    if (!channelBucket) {
      channelBucket = new TokenBucket(limits.perChannelPerSecond, limits.channelBurst);
      this.channelBuckets.set(channelKey, channelBucket);
    }
    let workspaceBucket = this.workspaceBuckets.get(workspace);
    if (!workspaceBucket) {
      workspaceBucket = new TokenBucket(limits.workspacePerMinute / 60, limits.workspaceBurst);
      this.workspaceBuckets.set(workspace, workspaceBucket);
    }
    const wait = Math.max(channelBucket.waitMs(now), workspaceBucket.waitMs(now));
    if (wait > 0) return wait / 1000;
    channelBucket.take(now);
    workspaceBucket.take(now);
    return 0;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Waits for a call to `method` (matching `where`) and returns it. */
  waitForCall(method: string, where: (call: ApiCall) => boolean = () => true, timeoutMs = 5_000): Promise<ApiCall> {
    return eventually(() => this.calls.find((call) => call.method === method && where(call)), timeoutMs, `a ${method} call`);
  }

  waitForResponse(where: (post: ResponseUrlPost) => boolean = () => true, timeoutMs = 5_000): Promise<ResponseUrlPost> {
    return eventually(() => this.responses.find(where), timeoutMs, "a response_url post");
  }

  responseUrl(): string {
    return `${this.baseUrl}/respond/${randomUUID()}`;
  }

  /** Socket Mode: true once the app has connected and been greeted. */
  get socketConnected(): boolean {
    return [...this.sockets].some((ws) => ws.readyState === ws.OPEN);
  }

  /** Socket Mode: sends one envelope and resolves with the app's acknowledgement of it. */
  deliver(type: EnvelopeType, payload: unknown, retry: { attempt?: number; reason?: string } = {}): Promise<SocketAck> {
    const socket = [...this.sockets].find((ws) => ws.readyState === ws.OPEN);
    if (!socket) return Promise.reject(new Error("no Socket Mode connection"));
    const envelopeId = randomUUID();
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
      ...(type === "events_api" ? { retry_attempt: retry.attempt ?? 0, retry_reason: retry.reason ?? "" } : {}),
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waitingAcks.delete(envelopeId);
        reject(new Error(`envelope ${type} was not acknowledged`));
      }, 5_000);
      this.waitingAcks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      socket.send(JSON.stringify(envelope));
    });
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (!message.envelope_id) return;
      const ack: SocketAck = { seq: this.nextSeq(), envelopeId: message.envelope_id, payload: message.payload };
      this.acks.push(ack);
      this.waitingAcks.get(message.envelope_id)?.(ack);
      this.waitingAcks.delete(message.envelope_id);
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "slack-double", approximate_connection_time: 3600 },
        connection_info: { app_id: "ADOUBLE" },
      }),
    );
  }

  private json(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await readBody(req);
    if (url.pathname.startsWith("/respond/")) {
      this.responses.push({
        seq: this.nextSeq(),
        id: url.pathname.slice(9),
        body: JSON.parse(raw.toString("utf8")) as Record<string, unknown>,
      });
      res.writeHead(200).end("ok");
      return;
    }
    if (url.pathname.startsWith("/upload/")) {
      this.uploads.push({ seq: this.nextSeq(), fileId: url.pathname.slice(8), bytes: raw.length });
      res.writeHead(200).end(`OK - ${raw.length}`);
      return;
    }
    if (!url.pathname.startsWith("/api/")) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice(5);
    const args = parseArgs(raw, req.headers["content-type"]);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const call: ApiCall = {
      seq: this.nextSeq(),
      at: Date.now(),
      method,
      args,
      token: bearer ?? (typeof args.token === "string" ? args.token : undefined),
    };
    this.calls.push(call);
    const wait = this.delays.get(method);
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    call.answeredSeq = this.nextSeq();

    const failure = this.failures.find((f) => f.method === method && f.times > 0);
    if (failure) {
      failure.times -= 1;
      const { error, retryAfterSeconds } = failure.failure;
      if (retryAfterSeconds !== undefined) this.json(res, { ok: false, error }, 429, { "retry-after": String(retryAfterSeconds) });
      else this.json(res, { ok: false, error });
      return;
    }
    if (method === "chat.postMessage") {
      const waitSeconds = this.postingWait(call.token, String(args.channel));
      if (waitSeconds > 0) {
        this.rateLimited += 1;
        call.result = { ok: false, error: "ratelimited" };
        // Slack's Retry-After is whole seconds.
        this.json(res, call.result, 429, { "retry-after": String(Math.ceil(waitSeconds)) });
        return;
      }
    }
    call.result = this.answer(method, args);
    this.json(res, call.result);
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${1_800_000_000 + this.tsCounter}.000100`;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://double.slack.test/",
          team: "Double House",
          user: "checkin",
          team_id: this.teamId,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
        };
      case "apps.connections.open":
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket` };
      case "users.info": {
        const user = this.users.get(String(args.user));
        if (!user) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: this.teamId,
            name: user.name,
            real_name: user.displayName ?? user.name,
            tz: user.tz ?? null,
            is_admin: user.isAdmin ?? false,
            is_owner: user.isOwner ?? false,
            is_bot: user.isBot ?? false,
            profile: { display_name: user.displayName ?? "", real_name: user.displayName ?? user.name },
          },
        };
      }
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(args.users).replace(/^U/, "")}` } };
      case "chat.postMessage": {
        // Posting to a user id lands in the bot's DM with them, as in Slack.
        const channel = String(args.channel);
        return {
          ok: true,
          channel: channel.startsWith("U") ? `D${channel.slice(1)}` : channel,
          ts: this.nextTs(),
          message: { text: args.text },
        };
      }
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.nextTs() };
      case "chat.update":
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case "views.open":
      case "views.publish":
        return { ok: true, view: { id: `V${this.nextSeq()}`, ...(args.view as object) } };
      case "files.getUploadURLExternal": {
        this.fileCounter += 1;
        const fileId = `F${this.fileCounter}`;
        return { ok: true, upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId };
      }
      case "files.completeUploadExternal":
        return { ok: true, files: (args.files as Array<{ id: string; title?: string }>) ?? [] };
      case "oauth.v2.access":
        return {
          ok: true,
          app_id: "ADOUBLE",
          authed_user: { id: "UINSTALLER" },
          scope: "commands,chat:write",
          token_type: "bot",
          access_token: `xoxb-installed-${String(args.code)}`,
          bot_user_id: BOT_USER_ID,
          team: { id: "TINSTALLED", name: "Installed House" },
          enterprise: null,
          is_enterprise_install: false,
        };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }
}
