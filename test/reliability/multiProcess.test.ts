import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/core/events.ts";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { readMigrations } from "../../src/db/migrate.ts";
import { addDays, localDateOf } from "../../src/domain/checkin/index.ts";
import { createPostgresTestDatabase, postgresUrl, skipWithoutPostgres } from "../support/db.ts";
import { escalationFindings, idAfter, reconcile, report } from "../support/reliability/checks.ts";
import { WorkerProcess } from "../support/reliability/fleet.ts";
import { type Behaviour, behaviourPicker, dueInstants, inbound, nextDueInstant, seedHouse } from "../support/reliability/house.ts";
import { ChatSink, checkinIdOf, seededRandom } from "../support/reliability/sink.ts";

const RESIDENTS = 500;
const PROCESSES = 3;
const START = new Date("2027-06-14T00:00:00Z");
/** A day of check-ins, and the hours after it in which the last windows close and alerts run out. */
const PROMPTS_UNTIL = new Date(START.getTime() + 24 * 3600_000);
const END = new Date(START.getTime() + 40 * 3600_000);
const MINUTE = 60_000;

describe.skipIf(skipWithoutPostgres)("three bot processes sharing one PostgreSQL and one chat platform", () => {
  let pg: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let database: Database;
  let sink: ChatSink;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    pg = await createPostgresTestDatabase();
    database = pg.database;
    sink = await ChatSink.start();
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await sink?.close();
    await pg?.drop();
  });

  it(`a simulated day for ${RESIDENTS} residents: every due prompt, reminder and alert reaches its reader exactly once`, async () => {
    const started = Date.now();
    const db = database.prisma;
    const house = await seedHouse(db, { residents: RESIDENTS, now: START });
    const residentOf = new Map(house.residents.map((r) => [r.platformUserId, r]));
    // Every tenth resident missed yesterday too: a second miss in a row today raises an alert.
    await db.checkin.createMany({
      data: house.residents
        .filter((_, i) => i % 10 === 3)
        .map((r) => {
          const yesterday = addDays(localDateOf(START, r.zone), -1);
          return { memberId: r.id, localDate: yesterday, dueAt: START, closesAt: START, status: "missed" as const };
        }),
    });
    // The platform misbehaves now and then, as real ones do.
    sink.setFaults({ http500: 0.03, http429: 0.02, timeout: 0.005, retryAfterSeconds: 20, seed: 11 });
    workers = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => WorkerProcess.start(`bot-${i + 1}`, { databaseUrl: pg.url, sinkUrl: sink.url })),
    );

    const pick = behaviourPicker(2027);
    const counsellorChoice = seededRandom(7);
    const behaviour = new Map<string, Behaviour>();
    const handledAlerts = new Set<string>();
    const replies: string[][] = [];
    let turn = 0;
    let seen = 0;
    let steps = 0;

    // Inbound events land on whichever process the platform picks (round robin here), several at once.
    const perform = async (now: Date, queue: InboundEvent[][]) => {
      await Promise.all(
        queue.map(async (sequence) => {
          for (const event of sequence) {
            const worker = workers[turn++ % workers.length];
            if (worker) replies.push(await worker.inbound(now, event));
          }
        }),
      );
    };
    const drain = async (now: Date) => {
      for (;;) {
        const totals = await Promise.all(workers.map((w) => w.deliver(now)));
        if (totals.every((t) => t.claimed === 0)) return;
      }
    };
    // Residents and counsellors read what reached them and act on some of it; each person's
    // presses are in order, different people's at the same time.
    const react = async (now: Date) => {
      const fresh = sink.records.slice(seen);
      seen = sink.records.length;
      const queue: InboundEvent[][] = [];
      const press = (userId: string, actionId: string) => inbound(userId, { kind: "action", actionId });
      for (const record of fresh) {
        if (record.kind !== "direct") continue;
        const checkinId = checkinIdOf(record.message);
        if (checkinId && residentOf.has(record.to)) {
          const feeling = (value: string) => press(record.to, `ci:f:${checkinId}:${value}`);
          if (record.message.title === "Daily check-in") {
            const chosen = pick();
            behaviour.set(checkinId, chosen);
            if (chosen === "steady" || chosen === "used" || chosen === "help") queue.push([feeling(chosen)]);
            if (chosen === "craving") queue.push([feeling("struggling"), press(record.to, `ci:c:${checkinId}:9`)]);
          } else if (behaviour.get(checkinId) === "afterReminder") {
            queue.push([feeling("steady")]);
          }
          continue;
        }
        const alertId = idAfter(record.message, "al:ack:");
        if (alertId && !residentOf.has(record.to) && !handledAlerts.has(alertId)) {
          handledAlerts.add(alertId);
          const roll = counsellorChoice();
          // Some alerts are acknowledged at once, some also resolved; the rest run up the ladder.
          const sequence: InboundEvent[] = [];
          if (roll < 0.5) sequence.push(press(record.to, `al:ack:${alertId}`));
          if (roll < 0.25) {
            const outcome = { outcome: "Spoke with them; they are safe." };
            sequence.push(inbound(record.to, { kind: "formSubmit", formId: `alres:${alertId}`, values: outcome }));
          }
          if (sequence.length) queue.push(sequence);
        }
      }
      await perform(now, queue);
    };

    let now = START;
    for (;;) {
      await Promise.all(workers.map((w) => w.sweep(now)));
      await drain(now);
      await react(now);
      await drain(now);
      steps++;
      let next = await nextDueInstant(db, now);
      if (next && next > PROMPTS_UNTIL && (await db.member.count({ where: { nextCheckinAt: { not: null } } })) > 0) {
        // The day is over: what is under way runs on (reminders, windows, alerts, retries), but no new day starts.
        await db.member.updateMany({ where: { houseId: house.houseId }, data: { nextCheckinAt: null } });
        next = await nextDueInstant(db, now);
      }
      if (!next || next > END) break;
      now = next;
    }

    // 1. Nothing failed inside any process.
    for (const worker of workers) expect(worker.errors(), worker.name).toEqual([]);
    expect(replies.every((r) => r.length > 0 && r.every((text) => text.trim().length > 0))).toBe(true);

    // 2. The database and the platform agree: every sent row is one message the platform holds, and back.
    const books = await reconcile(db, sink.records, house.houseId);
    expect(books.notDelivered).toEqual({});
    expect(books.rowsWithoutSend).toEqual([]);
    expect(books.doubleMatched).toEqual([]);
    expect(books.unmatchedSends).toEqual([]);
    expect(books.editMismatches).toEqual([]);

    // 3. Prompts: exactly the due check-ins, each once.
    const checkins = await db.checkin.findMany({ where: { member: { houseId: house.houseId }, dueAt: { gt: START } } });
    const promptsByCheckin = sink.countBy((r) => (r.message.title === "Daily check-in" ? checkinIdOf(r.message) : null));
    let expectedPrompts = 0;
    for (const resident of house.residents) {
      const expected = dueInstants(resident.time, resident.zone, START, PROMPTS_UNTIL);
      expectedPrompts += expected.length;
      const own = checkins.filter((c) => c.memberId === resident.id);
      expect(own.map((c) => c.localDate).sort(), resident.platformUserId).toEqual(expected.map((e) => e.localDate).sort());
      for (const checkin of own) expect(promptsByCheckin.get(checkin.id), checkin.id).toBe(1);
    }
    expect(promptsByCheckin.size).toBe(expectedPrompts);

    // 4. Reminders: once, two hours after the prompt, only to those who had not answered by then.
    const remindersByCheckin = sink.countBy((r) => (r.message.text.startsWith("A gentle reminder") ? checkinIdOf(r.message) : null));
    for (const checkin of checkins) {
      const remindAt = checkin.dueAt.getTime() + 120 * MINUTE;
      const answeredInTime = checkin.answeredAt !== null && checkin.answeredAt.getTime() < remindAt;
      expect(remindersByCheckin.get(checkin.id) ?? 0, checkin.id).toBe(answeredInTime ? 0 : 1);
      if (checkin.remindedAt) expect(checkin.remindedAt.getTime()).toBe(remindAt);
    }

    // 5. Alerts: one per signal that calls for one, each level notified once and never early.
    const alerts = await db.alert.findMany({ where: { houseId: house.houseId }, include: { events: { orderBy: { at: "asc" } } } });
    const count = (b: Behaviour) => [...behaviour.values()].filter((x) => x === b).length;
    const kinds = (kind: string) => alerts.filter((a) => a.kind === kind).length;
    expect(kinds("reported_use")).toBe(count("used"));
    expect(kinds("high_craving")).toBe(count("craving"));
    expect(kinds("sos")).toBe(count("help"));
    const missedTwice = checkins.filter((c) => c.status === "missed" && house.residents.findIndex((r) => r.id === c.memberId) % 10 === 3);
    expect(kinds("missed_checkin")).toBe(missedTwice.length);
    expect(escalationFindings(alerts)).toEqual([]);
    const notifications = alerts.reduce((n, a) => n + a.events.filter((e) => e.kind === "notified").length, 0);

    // 6. The work was shared.
    const sent = await db.outbox.findMany({ where: { houseId: house.houseId, status: "sent" }, select: { claimedBy: true } });
    const perWorker = workers.map((w) => sent.filter((r) => r.claimedBy?.startsWith(w.claimPrefix)).length);
    for (const share of perWorker) expect(share).toBeGreaterThan(0);
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(sent.length);

    report("multi-process day", {
      processes: PROCESSES,
      residents: RESIDENTS,
      steps,
      prompts: promptsByCheckin.size,
      reminders: [...remindersByCheckin.values()].reduce((a, b) => a + b, 0),
      alerts: alerts.length,
      alertNotifications: notifications,
      outboxRowsSent: books.sentRows,
      platformSends: books.platformSends,
      duplicates: books.unmatchedSends.length,
      sentPerProcess: perWorker,
      platformFaults: sink.outcomes(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  }, 300_000);
});

describe.skipIf(skipWithoutPostgres)("bot processes started at the same moment on a new database", () => {
  /** An empty database on the test server, dropped again by `drop()`. */
  async function emptyDatabase() {
    const name = `checkin_test_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(postgresUrl ?? "");
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }

  it("three bots migrating one new database at the same moment all succeed, five times over", async () => {
    // The race is in the first statements of the migration runner, so it is tried several times.
    for (let round = 0; round < 5; round++) {
      const fresh = await emptyDatabase();
      try {
        const opened = await Promise.allSettled([1, 2, 3].map(() => openDatabase({ databaseUrl: fresh.url, dataDir: "memory://" })));
        for (const result of opened) if (result.status === "fulfilled") await result.value.close();
        expect(
          opened.map((r) => (r.status === "rejected" ? String(r.reason) : "opened")),
          `round ${round}`,
        ).toEqual(["opened", "opened", "opened"]);
      } finally {
        await fresh.drop();
      }
    }
  });

  it("three real bot processes all start, and the migrations are applied once", async () => {
    const fresh = await emptyDatabase();
    const url = new URL(fresh.url);
    const sink = await ChatSink.start();
    const started: WorkerProcess[] = [];
    try {
      // Each process migrates at start; before the migration lock was taken first, some of these failed.
      const results = await Promise.allSettled(
        [1, 2, 3].map((i) => WorkerProcess.start(`fresh-${i}`, { databaseUrl: url.toString(), sinkUrl: sink.url })),
      );
      for (const result of results) if (result.status === "fulfilled") started.push(result.value);
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason).slice(0, 300) : "started"))).toEqual([
        "started",
        "started",
        "started",
      ]);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      const applied = await client.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      await client.end();
      expect(applied.rows.map((r) => r.migration_name)).toEqual(readMigrations().map((m) => m.name));
    } finally {
      await Promise.all(started.map((w) => w.stop()));
      await sink.close();
      await fresh.drop();
    }
  }, 60_000);
});
