import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { message } from "../../../src/core/message.ts";
import { DeliveryError } from "../../../src/core/ports.ts";
import { createOutboxDispatcher } from "../../../src/outbox/dispatcher.ts";
import { enqueue, enqueueUpdate } from "../../../src/outbox/enqueue.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";

let t: TestApp;
let houseId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  houseId = (await setUpHouse(t)).id;
  for (const name of ["ana", "ben", "cal"]) {
    const member = await t.database.prisma.member.create({ data: { houseId, platformUserId: name, displayName: name, status: "active" } });
    ids[name] = member.id;
  }
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.database.prisma.outbox.deleteMany();
  t.chat.delivered.length = 0;
  t.chat.clearFailures();
  await t.database.prisma.member.updateMany({ data: { reachable: true } });
});

const dm = (key: string, to: string, lane: "alert" | "prompt" | "bulk" = "prompt") => ({
  idempotencyKey: key,
  houseId,
  lane,
  message: message(`hello ${to}`),
  targetMemberId: ids[to],
  notBefore: t.clock.now(),
});

describe("the outbox", () => {
  it("delivers a queued DM once and records where it went", async () => {
    await enqueue(t.database.prisma, [dm("greet:ana", "ana")]);
    await t.deliver();
    await t.deliver();
    expect(t.chat.dmsTo("ana").map((m) => m.text)).toEqual(["hello ana"]);
    const row = await t.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "greet:ana" } });
    expect(row.status).toBe("sent");
    expect(row.sentRef).toEqual({ channelId: "dm-ana", messageId: expect.any(String) });
    const ana = await t.database.prisma.member.findUniqueOrThrow({ where: { id: ids.ana } });
    expect(ana.dmChannelId).toBe("dm-ana");
  });

  it("ignores a second enqueue with the same idempotency key, whatever its content", async () => {
    expect(await enqueue(t.database.prisma, [dm("checkin:ana:2027-01-04", "ana")])).toBe(1);
    expect(await enqueue(t.database.prisma, [{ ...dm("checkin:ana:2027-01-04", "ana"), message: message("different") }])).toBe(0);
    await t.deliver();
    expect(t.chat.dmsTo("ana")).toHaveLength(1);
  });

  it("queues a batch in one go: each new key once, keys already queued or repeated in the batch skipped, every field as given", async () => {
    const db = t.database.prisma;
    expect(await enqueue(db, [dm("batch:ana", "ana")])).toBe(1);
    const later = new Date(t.clock.now().getTime() + 60_000);
    const awkward = message(`"Quotes", back\\slashes, {braces}, 'apostrophes', ünïcödé and a\nnew line for ${"cal"}`, {
      title: "A title",
      buttons: [[{ actionId: "x:1", label: "One" }]],
    });
    const queued = await enqueue(db, [
      { ...dm("batch:ana", "ana"), message: message("already queued") },
      { ...dm("batch:ben", "ben", "bulk"), correlationKey: "group:1", notBefore: later },
      { ...dm("batch:ben", "ben"), message: message("the same key again") },
      { ...dm("batch:cal", "cal"), message: awkward },
      {
        idempotencyKey: "batch:channel",
        houseId,
        lane: "bulk",
        message: message("to the house"),
        targetChannelId: "house",
        notBefore: t.clock.now(),
      },
    ]);
    expect(queued).toBe(3);
    const rows = await db.outbox.findMany({ where: { idempotencyKey: { startsWith: "batch:" } }, orderBy: { idempotencyKey: "asc" } });
    expect(rows.map((row) => row.idempotencyKey)).toEqual(["batch:ana", "batch:ben", "batch:cal", "batch:channel"]);
    const [ana, ben, cal, channel] = rows;
    expect(ana?.message).toEqual(message("hello ana"));
    expect(ben).toMatchObject({
      lane: "bulk",
      kind: "send",
      status: "pending",
      attempts: 0,
      targetMemberId: ids.ben,
      targetChannelId: null,
      correlationKey: "group:1",
      nextAttemptAt: later,
      message: message("hello ben"),
    });
    expect(cal?.message).toEqual(awkward);
    expect(channel).toMatchObject({ targetMemberId: null, targetChannelId: "house", lane: "bulk" });
    await t.deliver();
    expect(t.chat.dmsTo("cal").map((m) => m.text)).toEqual([awkward.text]);
  });

  it("does not send before a row's time", async () => {
    await enqueue(t.database.prisma, [{ ...dm("later:ben", "ben"), notBefore: new Date(t.clock.now().getTime() + 60_000) }]);
    await t.deliver();
    expect(t.chat.dmsTo("ben")).toHaveLength(0);
    t.clock.advance(60_000);
    await t.deliver();
    expect(t.chat.dmsTo("ben")).toHaveLength(1);
  });

  it("delivers alerts before a backlog of prompts", async () => {
    const prompts = Array.from({ length: 40 }, (_, i) => ({
      ...dm(`prompt:${i}`, "ana"),
      notBefore: new Date(t.clock.now().getTime() - 1000),
    }));
    await enqueue(t.database.prisma, prompts);
    await enqueue(t.database.prisma, [dm("alert:cal", "cal", "alert")]);
    await t.app.outbox.runOnce();
    expect(t.chat.delivered[0]?.to).toBe("cal");
  });

  it("retries a failing send with growing delays, then succeeds", async () => {
    t.chat.failSends(
      (to) => to === "ben",
      () => new DeliveryError("HTTP 500", { permanent: false }),
      2,
    );
    await enqueue(t.database.prisma, [dm("flaky:ben", "ben")]);
    const started = t.clock.now().getTime();
    await t.deliver();
    let row = await t.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "flaky:ben" } });
    expect(row.status).toBe("pending");
    expect(row.nextAttemptAt.getTime() - started).toBe(5_000);
    t.clock.advance(5_000);
    await t.deliver();
    row = await t.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "flaky:ben" } });
    expect(row.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(10_000);
    t.clock.advance(10_000);
    await t.deliver();
    row = await t.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "flaky:ben" } });
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(3);
    expect(t.chat.dmsTo("ben")).toHaveLength(1);
  });

  it("honours a platform's Retry-After when it is longer than the backoff", async () => {
    t.chat.failSends(
      (to) => to === "ana",
      () => new DeliveryError("429", { permanent: false, retryAfterMs: 42_000 }),
      1,
    );
    await enqueue(t.database.prisma, [dm("limited:ana", "ana")]);
    await t.deliver();
    const row = await t.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "limited:ana" } });
    expect(row.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(42_000);
  });

  it("dead-letters a row after the last attempt, and an admin can put it back", async () => {
    t.chat.failSends(
      (to) => to === "cal",
      () => new DeliveryError("HTTP 500", { permanent: false }),
    );
    await enqueue(t.database.prisma, [dm("doomed:cal", "cal")]);
    for (let i = 0; i < 12; i++) {
      await t.deliver();
      t.clock.advance(31 * 60_000);
    }
    const row = await t.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "doomed:cal" } });
    expect(row.status).toBe("dead");
    expect(row.attempts).toBe(8);
    expect(row.lastError).toBe("HTTP 500");
    expect(await t.app.services.maintenance.outboxStatus(houseId)).toMatchObject({ dead: 1 });
    t.chat.clearFailures();
    expect(await t.app.services.maintenance.retryDead(houseId, t.clock.now())).toBe(1);
    await t.deliver();
    expect(t.chat.dmsTo("cal")).toHaveLength(1);
  });

  it("never retries a DM the person has refused, and marks them unreachable", async () => {
    t.chat.failSends(
      (to) => to === "ben",
      () => new DeliveryError("Cannot send messages to this user", { permanent: true, unreachable: true }),
    );
    await enqueue(t.database.prisma, [dm("refused:ben", "ben"), dm("refused2:ben", "ben")]);
    await t.deliver();
    const rows = await t.database.prisma.outbox.findMany({ where: { targetMemberId: ids.ben } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["dead", 1],
      ["dead", 1],
    ]);
    const ben = await t.database.prisma.member.findUniqueOrThrow({ where: { id: ids.ben } });
    expect(ben.reachable).toBe(false);
    const signals = await t.database.prisma.riskSignal.findMany({ where: { memberId: ids.ben, kind: "unreachable" } });
    expect(signals).toHaveLength(1);
  });

  it("edits a delivered message in place, after the original has gone out", async () => {
    await enqueue(t.database.prisma, [dm("alert:1:ana", "ana", "alert")]);
    const original = await t.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "alert:1:ana" } });
    await enqueueUpdate(t.database.prisma, {
      idempotencyKey: "alert:1:ana:ack",
      houseId,
      lane: "alert",
      updateOfId: original.id,
      message: message("acknowledged by jo"),
      notBefore: t.clock.now(),
    });
    await t.deliver();
    t.clock.advance(3_000);
    await t.deliver();
    const kinds = t.chat.delivered.map((d) => [d.kind, d.message.text]);
    expect(kinds).toEqual([
      ["direct", "hello ana"],
      ["update", "acknowledged by jo"],
    ]);
    expect(t.chat.delivered[1]?.ref).toEqual(t.chat.delivered[0]?.ref);
  });

  it("retakes rows whose worker died holding them, once the lease has run out", async () => {
    await enqueue(t.database.prisma, [dm("crash:ana", "ana")]);
    await t.database.prisma.outbox.updateMany({
      where: { idempotencyKey: "crash:ana" },
      data: { status: "sending", claimedBy: "dead-worker", leaseUntil: new Date(t.clock.now().getTime() + 60_000), attempts: 1 },
    });
    await t.deliver();
    expect(t.chat.dmsTo("ana")).toHaveLength(0);
    t.clock.advance(61_000);
    await t.deliver();
    expect(t.chat.dmsTo("ana")).toHaveLength(1);
  });

  it("two dispatchers working the same queue never send one row twice", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => dm(`race:${i}`, ["ana", "ben", "cal"][i % 3] ?? "ana"));
    await enqueue(t.database.prisma, rows);
    const make = (workerId: string) =>
      createOutboxDispatcher({
        db: t.database.prisma,
        adapters: { discord: t.chat },
        clock: t.clock,
        logger: t.logs.logger,
        workerId,
        batchSize: 7,
      });
    const a = make("worker-a");
    const b = make("worker-b");
    for (let i = 0; i < 10; i++) await Promise.all([a.runOnce(), b.runOnce()]);
    expect(t.chat.delivered).toHaveLength(60);
    const sent = await t.database.prisma.outbox.findMany({ where: { status: "sent" } });
    expect(new Set(sent.map((r) => r.claimedBy))).toEqual(new Set(["worker-a", "worker-b"]));
  });

  it("on stop, hands rows it claimed but had not tried back to the queue", async () => {
    await enqueue(
      t.database.prisma,
      Array.from({ length: 5 }, (_, i) => dm(`stop:${i}`, "ana")),
    );
    let sends = 0;
    const stopping = createOutboxDispatcher({
      db: t.database.prisma,
      adapters: {
        discord: {
          ...t.chat,
          platform: "discord",
          capabilities: t.chat.capabilities,
          start: async () => {},
          stop: async () => {},
          updateMessage: async () => {},
          postToChannel: async () => ({ channelId: "c", messageId: "m" }),
          sendDirect: async () => {
            sends += 1;
            if (sends === 2) void stopping.stop();
            return { channelId: "dm-ana", messageId: `m${sends}` };
          },
        },
      },
      clock: t.clock,
      logger: t.logs.logger,
      workerId: "stopping-worker",
    });
    await stopping.runOnce();
    const rows = await t.database.prisma.outbox.findMany({ where: { idempotencyKey: { startsWith: "stop:" } } });
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(2);
    expect(rows.filter((r) => r.status === "pending" && r.claimedBy === null && r.attempts === 0)).toHaveLength(3);
  });
});
