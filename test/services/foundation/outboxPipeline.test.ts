import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MessageRef } from "../../../src/core/events.ts";
import { message } from "../../../src/core/message.ts";
import type { ChatAdapter, DirectTarget, SentMessage } from "../../../src/core/ports.ts";
import { onAlertQueued } from "../../../src/outbox/alertSignal.ts";
import { claimDue } from "../../../src/outbox/claim.ts";
import { createOutboxDispatcher, type OutboxDispatcher } from "../../../src/outbox/dispatcher.ts";
import { enqueue } from "../../../src/outbox/enqueue.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";

/**
 * The outbox as a pipeline: several sends in flight, one person's messages still in order, the
 * adapter's own limit on sends in flight, continuous draining, alerts overtaking a backlog, and
 * every claim rule of the one-at-a-time outbox kept.
 */

let t: TestApp;
let houseId: string;
const ids: Record<string, string> = {};
const PEOPLE = ["ana", "ben", "cal", "dee", "eli", "fay"];

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  houseId = (await setUpHouse(t)).id;
  for (const name of PEOPLE) {
    const member = await t.database.prisma.member.create({ data: { houseId, platformUserId: name, displayName: name, status: "active" } });
    ids[name] = member.id;
  }
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.database.prisma.outbox.deleteMany();
});

interface Send {
  to: string;
  text: string;
  startedAt: number;
  finishedAt: number;
}

/** A platform that takes `delayMs` per send and records when each started and finished. */
function slowChat(options: {
  delayMs: number;
  maxSendsInFlight?: number;
  platform?: "discord" | "slack";
  onSend?: (to: string, text: string) => Promise<void> | void;
}) {
  const sends: Send[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  let counter = 0;
  const adapter: ChatAdapter & { maxSendsInFlight?: number } = {
    platform: options.platform ?? "discord",
    capabilities: t.chat.capabilities,
    start: async () => {},
    stop: async () => {},
    updateMessage: async () => {},
    postToChannel: async (target): Promise<SentMessage> => ({ channelId: target.channelId, messageId: `m${++counter}` }),
    async sendDirect(target: DirectTarget, content): Promise<MessageRef> {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const send: Send = { to: target.userId, text: content.text, startedAt: performance.now(), finishedAt: 0 };
      sends.push(send);
      await options.onSend?.(target.userId, content.text);
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      send.finishedAt = performance.now();
      inFlight -= 1;
      return { channelId: `dm-${target.userId}`, messageId: `m${++counter}` };
    },
    ...(options.maxSendsInFlight ? { maxSendsInFlight: options.maxSendsInFlight } : {}),
  };
  return { adapter, sends, mostInFlight: () => mostInFlight };
}

function dispatcherFor(adapter: ChatAdapter, extra: { batchSize?: number; workerId?: string } = {}): OutboxDispatcher {
  return createOutboxDispatcher({
    db: t.database.prisma,
    adapters: { discord: adapter },
    clock: t.clock,
    logger: t.logs.logger,
    workerId: extra.workerId ?? "pipeline-worker",
    ...(extra.batchSize ? { batchSize: extra.batchSize } : {}),
  });
}

const dm = (key: string, to: string, lane: "alert" | "prompt" = "prompt", offsetMs = 0) => ({
  idempotencyKey: key,
  houseId,
  lane,
  message: message(key),
  targetMemberId: ids[to],
  notBefore: new Date(t.clock.now().getTime() - 60_000 + offsetMs),
});

const statuses = async () =>
  Object.fromEntries((await t.database.prisma.outbox.findMany()).map((row) => [row.idempotencyKey, row.status] as const));

describe("the outbox pipeline", () => {
  it("sends to different people at once, but one person's messages one at a time and in order", async () => {
    const items = PEOPLE.flatMap((name) => [0, 1, 2].map((i) => dm(`${name}:${i}`, name, "prompt", i)));
    await enqueue(t.database.prisma, items);
    const chat = slowChat({ delayMs: 20, maxSendsInFlight: 4 });
    await dispatcherFor(chat.adapter).runOnce();

    expect(chat.sends).toHaveLength(18);
    expect(chat.mostInFlight()).toBeGreaterThan(1);
    for (const name of PEOPLE) {
      const theirs = chat.sends.filter((s) => s.to === name);
      expect(theirs.map((s) => s.text)).toEqual([0, 1, 2].map((i) => `${name}:${i}`));
      for (let i = 1; i < theirs.length; i++) expect(theirs[i]?.startedAt).toBeGreaterThanOrEqual(theirs[i - 1]?.finishedAt ?? 0);
    }
    expect(Object.values(await statuses()).every((s) => s === "sent")).toBe(true);
  });

  it("sends one at a time for an adapter that does not pace itself", async () => {
    await enqueue(
      t.database.prisma,
      PEOPLE.map((name) => dm(`single:${name}`, name)),
    );
    const chat = slowChat({ delayMs: 5 });
    await dispatcherFor(chat.adapter).runOnce();
    expect(chat.sends).toHaveLength(PEOPLE.length);
    expect(chat.mostInFlight()).toBe(1);
  });

  it("keeps no more sends in flight than the adapter says it can pace", async () => {
    await enqueue(
      t.database.prisma,
      PEOPLE.map((name) => dm(`limited:${name}`, name)),
    );
    const chat = slowChat({ delayMs: 20, maxSendsInFlight: 2 });
    await dispatcherFor(chat.adapter).runOnce();
    expect(chat.sends).toHaveLength(PEOPLE.length);
    expect(chat.mostInFlight()).toBe(2);
  });

  it("drains a queue longer than a batch in one go, claiming again as sends finish", async () => {
    await enqueue(
      t.database.prisma,
      Array.from({ length: 40 }, (_, i) => dm(`drain:${i}`, PEOPLE[i % PEOPLE.length] ?? "ana", "prompt", i)),
    );
    const chat = slowChat({ delayMs: 1 });
    const summary = await dispatcherFor(chat.adapter, { batchSize: 7 }).drain();
    expect(summary).toMatchObject({ claimed: 40, sent: 40 });
    expect(new Set(chat.sends.map((s) => s.text)).size).toBe(40);
  });

  it("an alert queued while a backlog drains goes out before the rest of the backlog", async () => {
    await enqueue(
      t.database.prisma,
      Array.from({ length: 60 }, (_, i) => dm(`backlog:${i}`, PEOPLE[i % 5] ?? "ana", "prompt", i)),
    );
    let alertQueued = false;
    const chat = slowChat({
      delayMs: 10,
      maxSendsInFlight: 2,
      async onSend() {
        if (alertQueued || chat.sends.length < 10) return;
        alertQueued = true;
        await enqueue(t.database.prisma, [dm("alert:fay", "fay", "alert")]);
      },
    });
    const outbox = dispatcherFor(chat.adapter, { batchSize: 10 });
    await outbox.drain();
    const order = chat.sends.map((s) => s.text);
    expect(order).toHaveLength(61);
    // Claimed at the next look (a quarter second at most), ahead of every prompt still waiting.
    expect(order.indexOf("alert:fay")).toBeLessThan(45);
  });

  it("with Discord and Slack in one process, Slack's slow pace does not hold Discord's prompts back", async () => {
    const slackHouse = await t.database.prisma.house.create({
      data: { platform: "slack", workspaceId: "T-PIPELINE", name: "Elm House", timezone: "Europe/London" },
    });
    const slackPeople = await Promise.all(
      ["sia", "sol", "sue"].map((name) =>
        t.database.prisma.member.create({ data: { houseId: slackHouse.id, platformUserId: name, displayName: name, status: "active" } }),
      ),
    );
    // Thirty Slack prompts were queued first, so in queue order every one of them comes before Discord's.
    await enqueue(
      t.database.prisma,
      Array.from({ length: 30 }, (_, i) => ({
        ...dm(`slack:${i}`, "ana", "prompt", i),
        houseId: slackHouse.id,
        targetMemberId: slackPeople[i % slackPeople.length]?.id,
      })),
    );
    await enqueue(
      t.database.prisma,
      PEOPLE.map((name, i) => dm(`discord:${name}`, name, "prompt", 1_000 + i)),
    );
    const slack = slowChat({ delayMs: 40, maxSendsInFlight: 1, platform: "slack" });
    const discord = slowChat({ delayMs: 1, maxSendsInFlight: 4 });
    const outbox = createOutboxDispatcher({
      db: t.database.prisma,
      adapters: { discord: discord.adapter, slack: slack.adapter },
      clock: t.clock,
      logger: t.logs.logger,
      workerId: "two-platforms",
      batchSize: 10,
    });
    await outbox.drain();

    expect(slack.sends).toHaveLength(30);
    expect(discord.sends.map((s) => s.text).sort()).toEqual(PEOPLE.map((name) => `discord:${name}`).sort());
    // Discord's six went while Slack was still on its first few, not after Slack's thirty.
    const discordDone = Math.max(...discord.sends.map((s) => s.finishedAt));
    expect(slack.sends.filter((s) => s.startedAt < discordDone).length).toBeLessThanOrEqual(3);
    await t.database.prisma.outbox.deleteMany({ where: { houseId: slackHouse.id } });
    await t.database.prisma.member.deleteMany({ where: { houseId: slackHouse.id } });
    await t.database.prisma.house.delete({ where: { id: slackHouse.id } });
  });

  it("on stop during a drain, finishes the sends in flight and hands back everything else, unsent and untried", async () => {
    await enqueue(
      t.database.prisma,
      Array.from({ length: 30 }, (_, i) => dm(`stop:${i}`, PEOPLE[i % PEOPLE.length] ?? "ana", "prompt", i)),
    );
    let outbox: OutboxDispatcher | null = null;
    const chat = slowChat({
      delayMs: 5,
      maxSendsInFlight: 3,
      onSend() {
        if (chat.sends.length === 5) void outbox?.stop();
      },
    });
    outbox = dispatcherFor(chat.adapter, { batchSize: 10 });
    await outbox.drain();
    const rows = await t.database.prisma.outbox.findMany();
    const sent = rows.filter((r) => r.status === "sent");
    expect(sent.length).toBe(chat.sends.length);
    expect(rows.filter((r) => r.status === "pending" && r.claimedBy === null && r.attempts === 0)).toHaveLength(30 - sent.length);
    expect(rows.some((r) => r.status === "sending")).toBe(false);
  });

  it("hands back a claimed row whose lease is half gone instead of sending it", async () => {
    await enqueue(t.database.prisma, [dm("lease:0", "ana", "prompt", 0), dm("lease:1", "ana", "prompt", 1)]);
    const chat = slowChat({
      delayMs: 1,
      onSend() {
        // The first send takes 40 s of a 60 s lease: the second row would go out with too little lease left.
        t.clock.advance(40_000);
      },
    });
    await dispatcherFor(chat.adapter).runOnce();
    expect(chat.sends.map((s) => s.text)).toEqual(["lease:0"]);
    const second = await t.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "lease:1" } });
    expect(second).toMatchObject({ status: "pending", claimedBy: null, attempts: 0 });
  });

  it("never marks a row sent once another worker has retaken it", async () => {
    await enqueue(t.database.prisma, [dm("retaken:ana", "ana")]);
    const chat = slowChat({
      delayMs: 1,
      async onSend() {
        await t.database.prisma.outbox.updateMany({ where: { idempotencyKey: "retaken:ana" }, data: { claimedBy: "other-worker" } });
      },
    });
    await dispatcherFor(chat.adapter).runOnce();
    const row = await t.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "retaken:ana" } });
    expect(row).toMatchObject({ status: "sending", claimedBy: "other-worker", sentRef: null });
  });

  it("a claim can be narrowed to alerts, which it takes ahead of everything", async () => {
    await enqueue(t.database.prisma, [dm("p:ana", "ana"), dm("a:ben", "ben", "alert"), dm("p:cal", "cal")]);
    const alerts = await claimDue(t.database.prisma, { workerId: "w", now: t.clock.now(), leaseMs: 60_000, limit: 5, lanes: ["alert"] });
    expect(alerts.map((r) => r.idempotencyKey)).toEqual(["a:ben"]);
    const rest = await claimDue(t.database.prisma, { workerId: "w", now: t.clock.now(), leaseMs: 60_000, limit: 5 });
    expect(rest.map((r) => r.idempotencyKey)).toEqual(["p:ana", "p:cal"]);
  });

  it("says so when a new alert is queued, so the scheduler can deliver it at once", async () => {
    let signals = 0;
    const stop = onAlertQueued(() => {
      signals += 1;
    });
    await enqueue(t.database.prisma, [dm("quiet:ana", "ana")]);
    expect(signals).toBe(0);
    await enqueue(t.database.prisma, [dm("loud:ben", "ben", "alert")]);
    await enqueue(t.database.prisma, [dm("loud:ben", "ben", "alert")]);
    expect(signals).toBe(1);
    stop();
  });
});
