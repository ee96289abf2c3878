import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { TokenBucket } from "../tokenBucket.ts";

/**
 * A local stand-in for Discord, faithful enough for the real discord.js client: REST under
 * /api/v10 (recording every call) and a gateway WebSocket that says HELLO, answers IDENTIFY with
 * READY and a GUILD_CREATE per server, acknowledges heartbeats, and dispatches whatever a test
 * injects. Everything lives in memory and on 127.0.0.1.
 */

export interface DoubleUser {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export interface DoubleGuild {
  id: string;
  name: string;
  ownerId: string;
  /** People in the server (the bot is added by itself). */
  members: DoubleUser[];
  /** Members holding a role with Administrator. */
  admins?: string[];
  channels?: Array<{ id: string; name: string }>;
}

export interface RecordedFile {
  name: string;
  contentType: string;
  size: number;
}

export interface RecordedCall {
  method: string;
  /** Path after /api/v10, without the query. */
  path: string;
  query: Record<string, string>;
  /** The JSON body (for multipart requests, the payload_json part). */
  body: unknown;
  files: RecordedFile[];
  authorization: string | undefined;
  status: number;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  content: string;
  components: unknown[];
  flags: number;
  attachments: Array<{ id: string; filename: string; description?: string; content_type: string; size: number }>;
  allowed_mentions?: unknown;
  edits: number;
}

interface Failure {
  method: string;
  pattern: string[];
  status: number;
  body: unknown;
  headers: Record<string, string>;
  times: number;
}

interface InteractionRecord {
  channelId: string;
  /** The message a pressed button sits on: what a deferred update edits. */
  componentMessageId: string | null;
  callbacks: Array<{ type: number; data?: unknown }>;
  originalId: string | null;
  followUpIds: string[];
}

const DISCORD_EPOCH = 1420070400000n;
let lastMs = 0n;
let sequence = 0n;

/**
 * A fresh snowflake: the right shape, unique and increasing, as discord.js expects. A snowflake
 * holds 4,096 a millisecond; a seeding loop that asks for more borrows the next millisecond
 * rather than repeating one.
 */
export function snowflake(): string {
  const ms = BigInt(Date.now()) - DISCORD_EPOCH;
  if (ms > lastMs) {
    lastMs = ms;
    sequence = 0n;
  } else if (++sequence >= 4096n) {
    lastMs += 1n;
    sequence = 0n;
  }
  return String((lastMs << 22n) + sequence);
}

const ALL_PERMISSIONS = ((1n << 53n) - 1n).toString();
const ADMINISTRATOR = (1n << 3n).toString();
const MEMBER_PERMISSIONS = ((1n << 10n) | (1n << 11n) | (1n << 16n)).toString();

export class DiscordDouble {
  readonly calls: RecordedCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly identifies: Array<{ token: string; intents: number }> = [];
  readonly bot: DoubleUser;
  readonly applicationId = snowflake();
  readonly token = "double-bot-token";

  private readonly server: Server;
  private readonly gateway: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly failures: Failure[] = [];
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly interactionsByToken = new Map<string, string>();
  private readonly dmChannels = new Map<string, string>();
  private sequence = 0;
  private port = 0;
  private globalLimit: TokenBucket | null = null;
  /** 429s answered because the global limit was exceeded (see `limitGlobally`). */
  globalRateLimited = 0;

  private constructor(
    readonly guilds: DoubleGuild[],
    /** People Discord knows who share no server with the bot. */
    readonly strangers: DoubleUser[],
  ) {
    this.bot = { id: snowflake(), username: "checkin-bot", bot: true };
    this.server = createServer((req, res) => {
      void this.route(req, res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: String(error), code: 0 }));
      });
    });
    this.gateway = new WebSocketServer({ server: this.server, path: "/gateway" });
    this.gateway.on("connection", (socket) => this.onGateway(socket));
  }

  static async start(options: { guilds: DoubleGuild[]; strangers?: DoubleUser[] }): Promise<DiscordDouble> {
    const double = new DiscordDouble(options.guilds, options.strangers ?? []);
    await new Promise<void>((resolve) => double.server.listen(0, "127.0.0.1", resolve));
    double.port = (double.server.address() as AddressInfo).port;
    return double;
  }

  /** What DISCORD_API_URL is set to: discord.js adds /v10 itself. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- knobs -------------------------------------------------------------------------------

  /**
   * The next `times` requests matching `route` ("POST /channels/:id/messages", `:x` matches any
   * segment) get this answer instead, e.g. 429 with Retry-After, or 403 `{ code: 50007 }`.
   */
  failNext(route: string, status: number, body: unknown = {}, headers: Record<string, string> = {}, times = 1): void {
    const [method = "", path = ""] = route.split(" ");
    this.failures.push({ method, pattern: segments(path), status, body, headers, times });
  }

  /**
   * Discord's global limit: at most `perSecond` requests a second across every route (50 for a
   * bot, https://discord.com/developers/docs/topics/rate-limits#global-rate-limit). Discord does
   * not publish how the second is measured; a token bucket holding a second's worth, refilled
   * evenly, accepts exactly what a client pacing to the limit sends and refuses any burst beyond
   * it. Requests over the limit get Discord's global 429. Interaction responses (callbacks and
   * their webhooks) are exempt, as Discord documents.
   */
  limitGlobally(perSecond: number): void {
    this.globalLimit = new TokenBucket(perSecond, perSecond);
  }

  /** Calls whose method and path match a route pattern, oldest first. */
  callsTo(route: string): RecordedCall[] {
    const [method = "", path = ""] = route.split(" ");
    return this.calls.filter((call) => call.method === method && matches(segments(path), segments(call.path)));
  }

  /** Waits until `check` holds (polling), or fails after `timeoutMs` with what was called. */
  async waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting; calls so far:\n${this.calls.map((c) => `${c.status} ${c.method} ${c.path}`).join("\n")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The DM channel between a person and the bot: Discord keeps one per person, made on first use. */
  dmChannel(userId: string): string {
    let channelId = this.dmChannels.get(userId);
    if (!channelId) {
      channelId = snowflake();
      this.dmChannels.set(userId, channelId);
    }
    return channelId;
  }

  /** The answer to one interaction: callbacks in order, the original response and follow-ups. */
  responseTo(interactionId: string) {
    const record = this.interactions.get(interactionId);
    return {
      callbacks: record?.callbacks ?? [],
      original: record?.originalId ? (this.messages.get(record.originalId) ?? null) : null,
      followUps: (record?.followUpIds ?? []).map((id) => this.messages.get(id)).filter((m): m is StoredMessage => m !== undefined),
    };
  }

  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  // ---- gateway -----------------------------------------------------------------------------

  /** Dispatches INTERACTION_CREATE, as Discord does when someone uses a command or component. */
  injectInteraction(payload: { id: string; token: string; channel?: { id: string }; message?: { id: string } }): void {
    if (!this.interactions.has(payload.id)) {
      this.interactions.set(payload.id, {
        channelId: payload.channel?.id ?? "",
        componentMessageId: payload.message?.id ?? null,
        callbacks: [],
        originalId: null,
        followUpIds: [],
      });
      this.interactionsByToken.set(payload.token, payload.id);
    }
    this.dispatch("INTERACTION_CREATE", payload);
  }

  /** Dispatches MESSAGE_CREATE, as Discord does when someone DMs the bot. */
  injectMessage(payload: object): void {
    this.dispatch("MESSAGE_CREATE", payload);
  }

  private dispatch(event: string, data: unknown): void {
    this.sequence += 1;
    const frame = JSON.stringify({ op: 0, t: event, s: this.sequence, d: data });
    for (const socket of this.sockets) socket.send(frame);
  }

  private onGateway(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on("message", (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: { token?: string; intents?: number } | null };
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (frame.op === 2) this.identify(socket, frame.d ?? {});
      if (frame.op === 6) {
        this.sequence += 1;
        socket.send(JSON.stringify({ op: 0, t: "RESUMED", s: this.sequence, d: {} }));
      }
    });
  }

  private identify(socket: WebSocket, d: { token?: string; intents?: number }): void {
    this.identifies.push({ token: d.token ?? "", intents: d.intents ?? 0 });
    if (d.token !== this.token) {
      socket.close(4004, "Authentication failed.");
      return;
    }
    const send = (t: string, data: unknown) => {
      this.sequence += 1;
      socket.send(JSON.stringify({ op: 0, t, s: this.sequence, d: data }));
    };
    send("READY", {
      v: 10,
      user: this.userJson(this.bot),
      guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: `session-${snowflake()}`,
      resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 },
    });
    for (const guild of this.guilds) send("GUILD_CREATE", this.guildJson(guild));
  }

  // ---- JSON shapes -------------------------------------------------------------------------

  userJson(user: DoubleUser) {
    return {
      id: user.id,
      username: user.username,
      global_name: user.globalName ?? null,
      discriminator: "0",
      avatar: null,
      bot: user.bot ?? false,
      flags: 0,
    };
  }

  guild(guildId: string): DoubleGuild {
    const guild = this.guilds.find((g) => g.id === guildId);
    if (!guild) throw new Error(`no guild ${guildId} in the double`);
    return guild;
  }

  memberJson(guild: DoubleGuild, user: DoubleUser) {
    return {
      user: this.userJson(user),
      nick: null,
      roles: guild.admins?.includes(user.id) ? [`${guild.id}1`] : [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    };
  }

  /** The permissions Discord computes into an interaction's `member.permissions`. */
  permissionsOf(guild: DoubleGuild, userId: string): string {
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    return guild.admins?.includes(userId) ? ADMINISTRATOR : MEMBER_PERMISSIONS;
  }

  channelJson(guild: DoubleGuild, channel: { id: string; name: string }) {
    return { id: channel.id, type: 0, guild_id: guild.id, name: channel.name, position: 0, permission_overwrites: [], nsfw: false };
  }

  private guildJson(guild: DoubleGuild) {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      owner_id: guild.ownerId,
      roles: [
        {
          id: guild.id,
          name: "@everyone",
          permissions: MEMBER_PERMISSIONS,
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
        {
          id: `${guild.id}1`,
          name: "Admin",
          permissions: ADMINISTRATOR,
          position: 1,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      channels: (guild.channels ?? []).map((c) => this.channelJson(guild, c)),
      members: [this.memberJson(guild, this.bot)],
      member_count: guild.members.length + 1,
      joined_at: new Date(0).toISOString(),
      large: false,
      unavailable: false,
      features: [],
      emojis: [],
      stickers: [],
      voice_states: [],
      presences: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: "en-US",
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
    };
  }

  private messageJson(message: StoredMessage) {
    return {
      id: message.id,
      channel_id: message.channel_id,
      author: this.userJson(this.bot),
      content: message.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: message.edits ? new Date().toISOString() : null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: message.attachments.map((a) => ({ ...a, url: `http://127.0.0.1:${this.port}/files/${a.id}`, proxy_url: "" })),
      embeds: [],
      pinned: false,
      type: 0,
      flags: message.flags,
      components: message.components,
    };
  }

  /** A message the bot sent, shaped as it appears inside an interaction payload. */
  messageForInteraction(messageId: string) {
    const stored = this.messages.get(messageId);
    if (!stored) throw new Error(`the bot never sent message ${messageId}`);
    return this.messageJson(stored);
  }

  // ---- REST --------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${this.port}`);
    const raw = await readBody(req);
    const { body, files } = await parseBody(req.headers["content-type"], raw);
    const path = url.pathname.replace(/^\/api\/v10/, "");
    const call: RecordedCall = {
      method: req.method ?? "GET",
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      files,
      authorization: req.headers.authorization,
      status: 0,
      at: Date.now(),
    };
    this.calls.push(call);
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      if (status === 204) {
        res.writeHead(204, headers);
        res.end();
        return;
      }
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(json));
    };

    if (!url.pathname.startsWith("/api/v10/")) return answer(404, { message: "404: Not Found", code: 0 });
    const interactionRoute = path.startsWith("/interactions/") || path.startsWith("/webhooks/");
    if (this.globalLimit && !interactionRoute) {
      const waitMs = this.globalLimit.take(performance.now());
      if (waitMs > 0) {
        this.globalRateLimited += 1;
        const seconds = waitMs / 1000;
        return answer(
          429,
          { message: "You are being rate limited.", retry_after: seconds, global: true },
          { "Retry-After": String(Math.ceil(seconds)), "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global" },
        );
      }
    }
    const failure = this.failures.find((f) => f.times > 0 && f.method === call.method && matches(f.pattern, segments(path)));
    if (failure) {
      failure.times -= 1;
      return answer(failure.status, failure.body, failure.headers);
    }
    const webhook = path.startsWith("/webhooks/") || path.startsWith("/interactions/");
    if (!webhook && req.headers.authorization !== `Bot ${this.token}`) return answer(401, { message: "401: Unauthorized", code: 0 });

    const p = segments(path);
    const is = (method: string, pattern: string) => call.method === method && matches(segments(pattern), p);

    if (is("GET", "/gateway/bot")) {
      return answer(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (is("GET", "/users/@me")) return answer(200, this.userJson(this.bot));
    if (is("POST", "/users/@me/channels")) {
      const recipient = String((body as { recipient_id?: string }).recipient_id ?? "");
      if (![...this.guilds.flatMap((g) => g.members), ...this.strangers].some((m) => m.id === recipient)) {
        return answer(400, { message: "Unknown User", code: 10013 });
      }
      return answer(200, {
        id: this.dmChannel(recipient),
        type: 1,
        recipients: [this.userJson(this.person(recipient))],
        last_message_id: null,
        flags: 0,
      });
    }
    if (is("GET", "/guilds/:guild/members/:user")) {
      const guild = this.guilds.find((g) => g.id === p[1]);
      const user = guild?.members.find((m) => m.id === p[3]);
      if (!guild || !user) return answer(404, { message: "Unknown Member", code: 10007 });
      return answer(200, this.memberJson(guild, user));
    }
    if (is("POST", "/channels/:channel/messages")) {
      return answer(200, this.messageJson(this.store(p[1] ?? "", body, files)));
    }
    if (is("PATCH", "/channels/:channel/messages/:message")) {
      const stored = this.messages.get(p[3] ?? "");
      if (!stored || stored.channel_id !== p[1]) return answer(404, { message: "Unknown Message", code: 10008 });
      return answer(200, this.messageJson(this.edit(stored, body, files)));
    }
    if (is("POST", "/interactions/:id/:token/callback")) {
      const record = this.interactions.get(p[1] ?? "");
      if (!record) return answer(404, { message: "Unknown interaction", code: 10062 });
      if (record.callbacks.length > 0) return answer(400, { message: "Interaction has already been acknowledged.", code: 40060 });
      const response = body as { type: number; data?: { flags?: number } & Record<string, unknown> };
      record.callbacks.push(response);
      if (response.type === 4 || response.type === 5) {
        record.originalId = this.store(record.channelId, { content: "", ...(response.data ?? {}) }, []).id;
      }
      if (response.type === 6 || response.type === 7) record.originalId = record.componentMessageId;
      return answer(204, null);
    }
    if (is("PATCH", "/webhooks/:app/:token/messages/@original")) {
      const record = this.interactionByToken(p[2]);
      const original = record?.originalId ? this.messages.get(record.originalId) : undefined;
      if (!original) return answer(404, { message: "Unknown Webhook", code: 10015 });
      return answer(200, this.messageJson(this.edit(original, body, files)));
    }
    if (is("POST", "/webhooks/:app/:token")) {
      const record = this.interactionByToken(p[2]);
      if (!record?.callbacks.length) return answer(404, { message: "Unknown Webhook", code: 10015 });
      const stored = this.store(record.channelId, body, files);
      record.followUpIds.push(stored.id);
      return answer(200, this.messageJson(stored));
    }
    if (is("PUT", "/applications/:app/commands") || is("PUT", "/applications/:app/guilds/:guild/commands")) {
      const commands = (body as Array<Record<string, unknown>>).map((c) => ({ id: snowflake(), application_id: p[1], version: "1", ...c }));
      return answer(200, commands);
    }
    return answer(404, { message: "404: Not Found", code: 0 });
  }

  /** Anyone Discord knows: a member of one of the servers, or a stranger. */
  person(id: string): DoubleUser {
    const user = [...this.guilds.flatMap((g) => g.members), ...this.strangers].find((m) => m.id === id);
    if (!user) throw new Error(`no person ${id} in the double`);
    return user;
  }

  private interactionByToken(token: string | undefined): InteractionRecord | undefined {
    const id = token ? this.interactionsByToken.get(token) : undefined;
    return id ? this.interactions.get(id) : undefined;
  }

  private store(channelId: string, body: unknown, files: RecordedFile[]): StoredMessage {
    const json = (body ?? {}) as Partial<StoredMessage> & { attachments?: Array<{ id: number; filename: string; description?: string }> };
    const stored: StoredMessage = {
      id: snowflake(),
      channel_id: channelId,
      content: json.content ?? "",
      components: json.components ?? [],
      flags: json.flags ?? 0,
      attachments: attachmentsOf(json.attachments, files),
      allowed_mentions: json.allowed_mentions,
      edits: 0,
    };
    this.messages.set(stored.id, stored);
    return stored;
  }

  private edit(stored: StoredMessage, body: unknown, files: RecordedFile[]): StoredMessage {
    const json = (body ?? {}) as Partial<StoredMessage> & { attachments?: Array<{ id: number; filename: string; description?: string }> };
    if (json.content !== undefined) stored.content = json.content;
    if (json.components !== undefined) stored.components = json.components;
    if (json.attachments !== undefined) stored.attachments = attachmentsOf(json.attachments, files);
    if (json.allowed_mentions !== undefined) stored.allowed_mentions = json.allowed_mentions;
    stored.edits += 1;
    return stored;
  }
}

function attachmentsOf(meta: Array<{ id: number; filename: string; description?: string }> | undefined, files: RecordedFile[]) {
  return files.map((file, index) => {
    const described = meta?.find((m) => Number(m.id) === index);
    return {
      id: snowflake(),
      filename: described?.filename ?? file.name,
      content_type: file.contentType,
      size: file.size,
      ...(described?.description ? { description: described.description } : {}),
    };
  });
}

function segments(path: string): string[] {
  return path.split("/").filter(Boolean).map(decodeURIComponent);
}

function matches(pattern: string[], actual: string[]): boolean {
  return pattern.length === actual.length && pattern.every((part, i) => part.startsWith(":") || part === actual[i]);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON bodies as they are; multipart bodies (files) as their payload_json plus a list of the files. */
async function parseBody(contentType: string | undefined, raw: Buffer): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType?.startsWith("multipart/form-data")) {
    const form = await new Request("http://double/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: new Uint8Array(raw),
    }).formData();
    const files: RecordedFile[] = [];
    let body: unknown = null;
    for (const [key, value] of form.entries()) {
      if (key === "payload_json" && typeof value === "string") body = JSON.parse(value);
      else if (typeof value !== "string") files.push({ name: value.name, contentType: value.type, size: value.size });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString("utf8")), files: [] };
}
