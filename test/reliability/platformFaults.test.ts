import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { message } from "../../src/core/message.ts";
import { LANE_ORDER } from "../../src/outbox/claim.ts";
import { enqueue } from "../../src/outbox/enqueue.ts";
import { promptMessage } from "../../src/services/checkins/messages.ts";
import { reconcile, report } from "../support/reliability/checks.ts";
import { type SeededHouse, seedHouse } from "../support/reliability/house.ts";
import { ChatSink, type SinkAttempt } from "../support/reliability/sink.ts";
import { createSinkApp, replyText, type SinkApp } from "../support/reliability/sinkApp.ts";

const PROMPTS = 1000;
const DUE = new Date("2027-06-14T19:00:00Z");
/** What one send costs in fake time: Discord allows about 50 requests a second. */
const SEND_MS = 20;

type Lane = (typeof LANE_ORDER)[number];
const rank = (lane: Lane) => LANE_ORDER.indexOf(lane);

/**
 * The lanes of the rows not yet delivered, keyed by recipient and text, so each send the platform
 * sees can be traced to its row (a delivered row keeps no text, so this is read before sending).
 */
async function lanesOfQueued(db: SinkApp["database"]["prisma"]): Promise<(attempt: SinkAttempt) => Lane> {
  const rows = await db.outbox.findMany({ where: { status: { in: ["pending", "sending"] } } });
  const members = await db.member.findMany({ where: { id: { in: rows.flatMap((r) => (r.targetMemberId ? [r.targetMemberId] : [])) } } });
  const platformId = new Map(members.map((m) => [m.id, m.platformUserId]));
  const lanes = new Map<string, Lane>();
  for (const row of rows) {
    const to = row.targetMemberId ? platformId.get(row.targetMemberId) : row.targetChannelId;
    lanes.set(`${to}\u0000${(row.message as { text?: string }).text}`, row.lane);
  }
  return (attempt) => {
    const lane = lanes.get(`${attempt.to}\u0000${attempt.message.text}`);
    if (!lane) throw new Error(`no due row for a send to ${attempt.to}`);
    return lane;
  };
}

describe("a chat platform that fails some sends", () => {
  let sink: ChatSink;
  let t: SinkApp;
  let house: SeededHouse;

  beforeAll(async () => {
    sink = await ChatSink.start();
    t = await createSinkApp(sink, new Date(DUE.getTime() - 3600_000));
    house = await seedHouse(t.database.prisma, { residents: PROMPTS, now: t.clock.now(), times: ["20:00"], zones: ["Europe/London"] });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it("delivers everything in lane order, puts alerts ahead of a backlog, and leaves dead letters for admins to see and retry", async () => {
    const started = Date.now();
    const db = t.database.prisma;
    t.clock.set(DUE);
    // The evening's prompts, queued as the sweep queues them (the sweep itself is proved in crash.test.ts; here the queue matters).
    await enqueue(
      db,
      house.residents.map((r, i) => ({
        idempotencyKey: `checkin:${r.id}:2027-06-14`,
        houseId: house.houseId,
        lane: "prompt" as const,
        message: promptMessage(`checkin-${i}`, `Resident ${i}`),
        targetMemberId: r.id,
        notBefore: t.clock.now(),
      })),
    );
    expect(await db.outbox.count({ where: { lane: "prompt", status: "pending" } })).toBe(PROMPTS);
    // More backlog behind and beside the prompts, in every other lane.
    const backlog = (lane: Lane, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        idempotencyKey: `backlog:${lane}:${i}`,
        houseId: house.houseId,
        lane,
        message: message(`backlog ${lane} ${i}`),
        targetMemberId: house.residents[i]?.id,
        notBefore: t.clock.now(),
      }));
    await enqueue(db, [...backlog("reminder", 100), ...backlog("bulk", 100), ...backlog("interactive", 50)]);

    // 1. A resident asks for help behind 1,250 queued messages: the counsellor's alert is the very first send.
    await t.act("r0001", { kind: "command", command: "sos", text: "" });
    await t.act("r0001", { kind: "action", actionId: "sos:confirm" });
    const queuedAt = t.clock.now();
    const laneOfFirst = await lanesOfQueued(db);
    const first = await t.app.outbox.runOnce();
    t.clock.advance(first.claimed * SEND_MS);
    expect(first.claimed).toBe(25);
    // r0001's key counsellor; a critical alert starts at the key counsellor.
    expect(sink.attempts[0]?.to).toBe("counsellor-1");
    expect(laneOfFirst(sink.attempts[0] as SinkAttempt)).toBe("alert");
    const firstAlert = await db.outbox.findFirstOrThrow({ where: { lane: "alert" } });
    expect(firstAlert.status).toBe("sent");
    const promptsBehindIt = await db.outbox.count({ where: { lane: "prompt", status: "pending" } });

    // 2. Now the platform fails about one send in seven, and one resident's DMs fail every time.
    sink.setFaults({ http500: 0.1, http429: 0.05, timeout: 0.003, retryAfterSeconds: 30, seed: 5 });
    sink.refuse((r) => r.to === "r0999");
    let batches = 1;
    let secondAlertBatch: number | null = null;
    let secondAlertRaisedIn: number | null = null;
    let laneOrderChecks = 0;
    let laneOf = await lanesOfQueued(db);
    for (;;) {
      if (batches === 10 && secondAlertRaisedIn === null) {
        // Mid-backlog, another resident asks for help.
        await t.act("r0002", { kind: "command", command: "sos", text: "" });
        await t.act("r0002", { kind: "action", actionId: "sos:confirm" });
        secondAlertRaisedIn = batches;
        laneOf = await lanesOfQueued(db);
      }
      const claimedAt = t.clock.now();
      const from = sink.attempts.length;
      const summary = await t.app.outbox.runOnce();
      if (summary.claimed === 0) {
        const next = await db.outbox.findFirst({ where: { status: "pending" }, orderBy: { nextAttemptAt: "asc" } });
        if (!next) break;
        t.clock.set(new Date(Math.max(next.nextAttemptAt.getTime(), t.clock.now().getTime())));
        continue;
      }
      batches++;
      const attempts = sink.attempts.slice(from);
      t.clock.advance(attempts.length * SEND_MS);
      // Within a claim, higher lanes are tried first ...
      const ranks = attempts.map((a) => rank(laneOf(a)));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      // ... and no row of a higher lane that was due was left waiting behind this claim.
      const lowest = Math.max(...ranks);
      const leftBehind = await db.outbox.count({
        where: { status: "pending", nextAttemptAt: { lte: claimedAt }, lane: { in: LANE_ORDER.filter((l) => rank(l) < lowest) } },
      });
      expect(leftBehind).toBe(0);
      laneOrderChecks++;
      if (secondAlertBatch === null && attempts.some((a) => laneOf(a) === "alert" && a.to === "counsellor-2")) secondAlertBatch = batches;
    }
    // The second alert went out in the first claim after it was raised.
    expect(secondAlertRaisedIn).toBe(10);
    expect(secondAlertBatch).toBe(11);

    // 3. Everything arrived exactly once, except what the platform refused every time.
    const books = await reconcile(db, sink.records, house.houseId);
    expect(books.notDelivered).toEqual({ dead: 1 });
    expect(books.rowsWithoutSend).toEqual([]);
    expect(books.unmatchedSends).toEqual([]);
    expect(books.doubleMatched).toEqual([]);
    const dead = await db.outbox.findFirstOrThrow({ where: { status: "dead" } });
    expect(dead.targetMemberId).toBe(house.memberIds.get("r0999"));
    expect(dead.attempts).toBe(8);
    expect(dead.lastError).toBe("HTTP 500 from the chat platform");

    // 4. Operators see a log line with counts; admins see the same with /deliveries.
    const deadLine = t.logs.entries().find((e) => String(e.msg).startsWith("outbox has undelivered rows"));
    expect(deadLine).toMatchObject({ deadJustNow: 1, deadTotal: 1, deadByLane: { prompt: 1 } });
    const shown = replyText(await t.act("admin", { kind: "command", command: "deliveries", text: "" }));
    expect(shown).toContain(`Sent: ${(books.sentRows).toLocaleString("en-GB")}`);
    expect(shown).toContain("Undelivered after every retry: 1");
    expect(shown).toContain("/deliveries retry");
    expect(replyText(await t.act("r0003", { kind: "command", command: "deliveries", text: "" }))).toContain(
      "/deliveries is for house admins",
    );
    expect(replyText(await t.act("counsellor-1", { kind: "command", command: "deliveries", text: "retry" }))).toContain(
      "/deliveries is for house admins",
    );

    // 5. The platform recovers; an admin retries; it is delivered once.
    sink.clearRefusals();
    sink.setFaults({});
    expect(replyText(await t.act("admin", { kind: "command", command: "deliveries", text: "retry" }))).toContain(
      "1 undelivered message is back in the queue",
    );
    await t.app.outbox.runOnce();
    const after = replyText(await t.act("admin", { kind: "command", command: "deliveries", text: "" }));
    expect(after).toContain("Undelivered after every retry: 0");
    expect(after).toContain("Nothing is stuck.");
    const prompts = sink.countBy((r) => (r.message.title === "Daily check-in" ? r.to : null));
    expect(prompts.size).toBe(PROMPTS);
    expect([...prompts.values()].every((n) => n === 1)).toBe(true);
    expect(replyText(await t.act("admin", { kind: "command", command: "deliveries", text: "retry" }))).toContain(
      "There are no undelivered messages to retry.",
    );

    report("platform faults", {
      queued: PROMPTS + 250 + 2,
      firstAlert: {
        claimBatch: 1,
        sendOrder: 1,
        promptsStillQueuedBehindIt: promptsBehindIt,
        fakeMsToSend: firstAlert.sentAt ? firstAlert.sentAt.getTime() - queuedAt.getTime() : null,
      },
      secondAlert: { raisedBeforeBatch: secondAlertRaisedIn, sentInBatch: secondAlertBatch },
      claimBatches: batches,
      laneOrderChecks,
      platformAttempts: sink.attempts.length,
      platformFaults: sink.outcomes(),
      delivered: books.sentRows + 1,
      deadLettered: 1,
      retriedByAdmin: 1,
      fakeMinutesToDrain: Math.round((t.clock.now().getTime() - DUE.getTime()) / 6000) / 10,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  }, 180_000);
});
