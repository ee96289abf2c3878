import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresTestDatabase, skipWithoutPostgres } from "../support/db.ts";
import { reconcile, report } from "../support/reliability/checks.ts";
import { WorkerProcess } from "../support/reliability/fleet.ts";
import { seedHouse } from "../support/reliability/house.ts";
import { ChatSink, checkinIdOf, type SinkRequest } from "../support/reliability/sink.ts";

const RESIDENTS = 1000;
/** Everyone's check-in is 20:00 in London: 19:00 UTC on this summer day. */
const DUE = new Date("2027-06-14T19:00:00Z");
const LEASE_MS = 60_000;
const at = (offsetMs: number) => new Date(DUE.getTime() + offsetMs);

describe.skipIf(skipWithoutPostgres)("a bot process killed with kill -9 in the middle of its work", () => {
  let pg: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let sink: ChatSink;
  const running: WorkerProcess[] = [];

  beforeAll(async () => {
    pg = await createPostgresTestDatabase();
    sink = await ChatSink.start();
  });
  afterAll(async () => {
    await Promise.all(running.map((w) => w.stop()));
    await sink?.close();
    await pg?.drop();
  });

  const start = async (name: string) => {
    // A long send timeout: a held send waits for the kill, not for the adapter to give up.
    const worker = await WorkerProcess.start(name, { databaseUrl: pg.url, sinkUrl: sink.url, sendTimeoutMs: 30_000 });
    running.push(worker);
    return worker;
  };

  it(`kill -9 during the sweep and twice while dispatching ${RESIDENTS} prompts: after restarts everyone has one check-in and one prompt`, async () => {
    const started = Date.now();
    const db = pg.database.prisma;
    const house = await seedHouse(db, {
      residents: RESIDENTS,
      now: new Date("2027-06-14T12:00:00Z"),
      times: ["20:00"],
      zones: ["Europe/London"],
    });

    // 1. Killed while sweeping: its open transaction rolls back; the other process and a restart finish the job.
    let a = await start("bot-a");
    const b = await start("bot-b");
    const sweeping = a.sweep(DUE).catch(() => "killed");
    const sweepingB = b.sweep(DUE);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await a.kill();
    await Promise.all([sweeping, sweepingB]);
    a = await start("bot-a2");
    await Promise.all([a.sweep(DUE), b.sweep(DUE)]);
    const checkins = await db.checkin.findMany({ where: { member: { houseId: house.houseId } } });
    expect(checkins).toHaveLength(RESIDENTS);
    expect(await db.outbox.count({ where: { houseId: house.houseId, lane: "prompt" } })).toBe(RESIDENTS);

    // 2. Both processes dispatch. a is killed just after the platform posted one of its sends,
    // before a could record it; b is killed while one of its sends has not reached the platform.
    const posted = sink.hold((r) => r.worker === a.name && sink.records.length >= 300, { accept: true });
    const aDelivering = a.deliver(DUE).catch(() => "killed");
    const bDelivering = b.deliver(DUE).catch(() => "killed");
    const firstHeld = await posted;
    await a.kill();
    const notPosted = sink.hold((r) => r.worker === b.name && sink.records.length >= 600, { accept: false });
    const secondHeld = await notPosted;
    await b.kill();
    await Promise.all([aDelivering, bDelivering]);

    const stranded = await db.outbox.findMany({ where: { houseId: house.houseId, status: "sending" } });
    const strandedBy = (w: WorkerProcess) => stranded.filter((r) => r.claimedBy?.startsWith(w.claimPrefix));
    expect(strandedBy(a).length).toBeGreaterThan(0);
    expect(strandedBy(b).length).toBeGreaterThan(0);
    expect(strandedBy(a).length + strandedBy(b).length).toBe(stranded.length);
    // A kill leaves each claimed row under a lease from the moment of its claim.
    for (const row of stranded) expect(row.leaseUntil?.getTime()).toBe(DUE.getTime() + LEASE_MS);
    const sentBeforeRestart = sink.records.length;

    // 3. Restarted processes deliver what nobody holds at once, and leave leased rows alone until the lease runs out.
    const c = await start("bot-c");
    const d = await start("bot-d");
    await Promise.all([c.deliver(at(30_000)), d.deliver(at(30_000))]);
    const stillHeld = await db.outbox.findMany({ where: { id: { in: stranded.map((r) => r.id) } } });
    expect(stillHeld.every((r) => r.status === "sending")).toBe(true);
    const waiting = await db.outbox.count({ where: { houseId: house.houseId, status: { not: "sent" } } });
    expect(waiting).toBe(stranded.length);

    await Promise.all([c.deliver(at(LEASE_MS + 1_000)), d.deliver(at(LEASE_MS + 1_000))]);
    const retaken = await db.outbox.findMany({ where: { id: { in: stranded.map((r) => r.id) } } });
    expect(
      retaken.every((r) => r.status === "sent" && (r.claimedBy?.startsWith(c.claimPrefix) || r.claimedBy?.startsWith(d.claimPrefix))),
    ).toBe(true);
    expect(retaken.every((r) => r.attempts === 2)).toBe(true);

    // 4. Everyone has exactly one check-in and got exactly one prompt, with one honest exception:
    // the send the platform posted in the instant before its sender died, which nobody could record.
    const prompts = sink.countBy((r) => checkinIdOf(r.message));
    const heldCheckin = (request: SinkRequest) => checkinIdOf(request.message);
    expect(prompts.size).toBe(RESIDENTS);
    const twice = [...prompts].filter(([, n]) => n !== 1);
    expect(twice).toEqual([[heldCheckin(firstHeld), 2]]);
    expect(prompts.get(heldCheckin(secondHeld) ?? "")).toBe(1);
    const books = await reconcile(db, sink.records, house.houseId);
    expect(books.notDelivered).toEqual({});
    expect(books.rowsWithoutSend).toEqual([]);
    expect(books.unmatchedSends.map((r) => checkinIdOf(r.message))).toEqual([heldCheckin(firstHeld)]);
    for (const worker of [b, c, d]) expect(worker.errors(), worker.name).toEqual([]);

    report("crash", {
      residents: RESIDENTS,
      killedWhileSweeping: 1,
      killedWhileSending: 2,
      platformSendsBeforeRestart: sentBeforeRestart,
      rowsStrandedUnderLease: { [a.name]: strandedBy(a).length, [b.name]: strandedBy(b).length },
      retakenAfterLease: retaken.length,
      residentsPromptedOnce: [...prompts.values()].filter((n) => n === 1).length,
      residentsPromptedTwice: twice.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  }, 180_000);
});
