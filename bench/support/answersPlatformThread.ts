import { parentPort } from "node:worker_threads";
import { type DiscordDouble as DiscordDoubleType, selectChoice } from "../../test/support/discordDouble/index.ts";
import { DiscordDouble } from "../../test/support/discordDouble/server.ts";
import { blockAction } from "../../test/support/slackDouble/payloads.ts";
import { SlackDouble } from "../../test/support/slackDouble/slackDouble.ts";
import type { Injected, PlannedPress, PlatformSetup, Replies, Request, Response, Started } from "./answersProtocol.ts";

/**
 * The platform side of the answers scenario, on its own thread: a Discord or Slack double, and
 * residents pressing check-in buttons at a steady rate whether or not the bot keeps up.
 */

/** Discord gives an interaction 3 s to be acknowledged; Slack's double gives up on an envelope after 5 s. */
const ACK_WAIT_MS = 5_000;
const TICK_MS = 1;
const CALLBACK = /^\/interactions\/(\d+)\/[^/]+\/callback$/;
const EDIT_ORIGINAL = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/;

interface Platform {
  start(setup: PlatformSetup): Promise<Started>;
  /** Sends one press; the returned id is how its acknowledgement is found. */
  press(planned: PlannedPress): string;
  /** Acknowledgement latencies by press id, once every press is acknowledged or the wait is over. */
  latencies(sent: Map<string, number>): Promise<Map<string, number>>;
  replies(): Replies;
  close(): Promise<void>;
}

function discordPlatform(): Platform {
  let double: DiscordDoubleType | null = null;
  const live = () => {
    if (!double) throw new Error("the Discord double is not running");
    return double;
  };
  return {
    async start(setup) {
      if (setup.platform !== "discord") throw new Error("expected a Discord setup");
      double = await DiscordDouble.start({ guilds: setup.guilds });
      const people = setup.guilds.flatMap((g) => g.members);
      const dmChannels = Object.fromEntries(people.map((p) => [p.id, live().dmChannel(p.id)]));
      return { apiUrl: live().apiUrl, token: live().token, dmChannels };
    },
    press(planned) {
      const d = live();
      // buttonPress insists the button is on the message as it is now; a resident whose screen
      // has not caught up with a lagging bot still presses what they see, so the press is built
      // from the message as it stands and the button's own data.
      const payload = {
        ...selectChoice(d, planned.userId, planned.messageId, planned.customId, ""),
        data: { custom_id: planned.customId, component_type: 2 },
      };
      d.injectInteraction(payload);
      return payload.id;
    },
    async latencies(sent) {
      const d = live();
      const deadline = Date.now() + ACK_WAIT_MS;
      const acked = new Map<string, number>();
      for (;;) {
        for (const call of d.calls) {
          const id = call.method === "POST" ? CALLBACK.exec(call.path)?.[1] : undefined;
          const at = id ? sent.get(id) : undefined;
          if (id && at !== undefined && !acked.has(id)) acked.set(id, call.at - at);
        }
        if (acked.size >= sent.size || Date.now() > deadline) return acked;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    replies() {
      const d = live();
      const edits = new Map<string, number>();
      const callbacks = new Map<string, number>();
      for (const call of d.calls) {
        const token = call.method === "PATCH" ? EDIT_ORIGINAL.exec(call.path)?.[1] : undefined;
        if (token) edits.set(token, (edits.get(token) ?? 0) + 1);
        const id = call.method === "POST" ? CALLBACK.exec(call.path)?.[1] : undefined;
        if (id) callbacks.set(id, (callbacks.get(id) ?? 0) + 1);
      }
      const more = (counts: Map<string, number>) => [...counts.values()].filter((n) => n > 1).length;
      return {
        updates: [...edits.values()].reduce((a, b) => a + b, 0),
        updatedTwice: more(edits),
        acknowledgedTwice: more(callbacks),
      };
    },
    async close() {
      await double?.close();
    },
  };
}

function slackPlatform(): Platform {
  let double: SlackDouble | null = null;
  let teamId = "";
  /** Each envelope's acknowledgement latency, or null when it was never acknowledged. */
  const acks = new Map<string, Promise<number | null>>();
  const live = () => {
    if (!double) throw new Error("the Slack double is not running");
    return double;
  };
  return {
    async start(setup) {
      if (setup.platform !== "slack") throw new Error("expected a Slack setup");
      double = await SlackDouble.start();
      teamId = setup.teamId;
      double.teamId = teamId;
      for (const user of setup.users) double.addUser(user);
      return { apiUrl: double.apiUrl, token: "", dmChannels: {} };
    },
    press(planned) {
      const d = live();
      const payload = blockAction(
        { teamId, userId: planned.userId, userName: planned.userName },
        { actionId: planned.customId, channelId: planned.channelId, messageTs: planned.messageId, responseUrl: d.responseUrl() },
      );
      const id = String(acks.size + 1);
      const sentAt = performance.now();
      acks.set(
        id,
        d.deliver("interactive", payload).then(
          () => performance.now() - sentAt,
          () => null,
        ),
      );
      return id;
    },
    async latencies() {
      const settled = await Promise.all([...acks].map(async ([id, ack]) => [id, await ack] as const));
      const acked = new Map<string, number>();
      for (const [id, ms] of settled) if (ms !== null) acked.set(id, ms);
      return acked;
    },
    replies() {
      return { updates: live().callsTo("chat.update").length, updatedTwice: 0, acknowledgedTwice: 0 };
    },
    async close() {
      await double?.close();
    },
  };
}

async function inject(platform: Platform, presses: PlannedPress[], perSecond: number): Promise<Injected> {
  const spacingMs = 1000 / perSecond;
  const sentAt = new Map<string, number>();
  const order: string[] = [];
  let firstAt = 0;
  let lastAt = 0;
  let maxLateMs = 0;
  const origin = performance.now() + 50;
  await new Promise<void>((resolve) => {
    let next = 0;
    // Ticks, not a burst: each tick sends only what is due by now, so the rate holds at any size.
    const timer = setInterval(() => {
      const now = performance.now();
      while (next < presses.length && origin + next * spacingMs <= now) {
        const planned = presses[next] as PlannedPress;
        maxLateMs = Math.max(maxLateMs, performance.now() - (origin + next * spacingMs));
        const at = Date.now();
        const id = platform.press(planned);
        sentAt.set(id, at);
        order.push(id);
        if (next === 0) firstAt = at;
        lastAt = at;
        next += 1;
      }
      if (next >= presses.length) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const latency = await platform.latencies(sentAt);
  const latenciesMs: number[] = [];
  for (const id of order) {
    const ms = latency.get(id);
    if (ms !== undefined) latenciesMs.push(ms);
  }
  return { latenciesMs, unacknowledged: order.length - latenciesMs.length, firstAt, lastAt, maxLateMs };
}

let platform: Platform | null = null;

async function handle(request: Request): Promise<unknown> {
  switch (request.kind) {
    case "start":
      platform = request.setup.platform === "discord" ? discordPlatform() : slackPlatform();
      return platform.start(request.setup);
    case "inject":
      if (!platform) throw new Error("not started");
      return inject(platform, request.presses, request.perSecond);
    case "replies":
      if (!platform) throw new Error("not started");
      return platform.replies();
    case "close":
      await platform?.close();
      platform = null;
      return null;
  }
}

parentPort?.on("message", (request: Request) => {
  handle(request).then(
    (result) => parentPort?.postMessage({ id: request.id, ok: true, result } satisfies Response),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies Response),
  );
});
