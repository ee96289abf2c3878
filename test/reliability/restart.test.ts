import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { message } from "../../src/core/message.ts";
import { type Db, openDatabase } from "../../src/db/client.ts";
import { enqueue } from "../../src/outbox/enqueue.ts";
import { createPostgresTestDatabase, skipWithoutPostgres } from "../support/db.ts";
import { BotProcess, directMessagesIn } from "../support/reliability/botProcess.ts";
import { report } from "../support/reliability/checks.ts";

const RESIDENTS = 300;
const ENV = { LOG_LEVEL: "info", ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64") };

/**
 * The real `npm start` (src/main.ts) on the embedded database, in the local console, stopped in
 * the middle of delivering a backlog: politely with SIGTERM, and then with kill -9.
 */
/** A console house with an admin and residents who agreed to check-ins. */
async function seedConsoleHouse(db: Db): Promise<void> {
  const house = await db.house.create({
    data: { platform: "console", workspaceId: "local", name: "Local house", timezone: "Europe/London" },
  });
  await db.member.create({ data: { houseId: house.id, platformUserId: "owner", displayName: "owner", role: "admin", status: "active" } });
  await db.member.createMany({
    data: Array.from({ length: RESIDENTS }, (_, i) => ({
      houseId: house.id,
      platformUserId: `r${String(i).padStart(3, "0")}`,
      displayName: `r${i}`,
      status: "active" as const,
      consentAt: new Date(),
    })),
  });
}

/** Queues one DM per resident, as a busy evening would. */
async function queueBacklog(db: Db, label: string): Promise<void> {
  const house = await db.house.findFirstOrThrow();
  const residents = await db.member.findMany({ where: { role: "resident" }, orderBy: { platformUserId: "asc" } });
  await enqueue(
    db,
    residents.map((r) => ({
      idempotencyKey: `${label}:${r.id}`,
      houseId: house.id,
      lane: "prompt" as const,
      message: message(`${label} for ${r.platformUserId}`),
      targetMemberId: r.id,
      notBefore: new Date(Date.now() - 60_000),
    })),
  );
}

/**
 * SIGTERM to `npm start` while it delivers a backlog; then a second start delivers the rest.
 * Returns the figures; fails the test on any broken promise.
 */
async function sigtermWhileDelivering(
  env: Record<string, string>,
  inspect: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
  label: string,
) {
  await inspect((db) => queueBacklog(db, label));
  const first = new BotProcess({ ...env, ...ENV });
  const signalledAt = await first.signalWhen((out) => directMessagesIn(out).length >= 10, "SIGTERM");
  const stopped = await first.exited;
  // main.ts exits 1 if stopping takes longer than its 10-second deadline.
  expect(stopped.code).toBe(0);
  const firstRun = directMessagesIn(first.stdout);
  const rows = await inspect((db) => db.outbox.findMany({ where: { idempotencyKey: { startsWith: `${label}:` } } }));
  const mine = `${hostname()}:${first.pid}:`;
  expect(rows.filter((r) => r.status === "sending")).toEqual([]);
  expect(rows.filter((r) => r.claimedBy?.startsWith(mine) && r.status !== "sent")).toEqual([]);
  // Handed back as if never tried: any process can take them at once, without waiting for a lease.
  expect(rows.filter((r) => r.status === "pending").every((r) => r.claimedBy === null && r.attempts === 0)).toBe(true);
  // Every DM printed was recorded as sent, and nothing recorded as sent went unprinted.
  expect(rows.filter((r) => r.status === "sent")).toHaveLength(firstRun.length);
  expect(firstRun.length).toBeLessThan(RESIDENTS);

  const second = new BotProcess({ ...env, ...ENV });
  await second.waitFor((out) => directMessagesIn(out).length >= RESIDENTS - firstRun.length);
  second.signal("SIGTERM");
  expect((await second.exited).code).toBe(0);
  const all = [...firstRun, ...directMessagesIn(second.stdout)];
  expect(all).toHaveLength(RESIDENTS);
  expect(new Set(all).size).toBe(RESIDENTS);
  return {
    backlog: RESIDENTS,
    sentBeforeSigterm: firstRun.length,
    handedBack: RESIDENTS - firstRun.length,
    stopMs: stopped.at - signalledAt,
    exitCode: stopped.code,
    sentAfterRestart: all.length - firstRun.length,
    sentTwice: all.length - new Set(all).size,
  };
}

describe("stopping and starting the bot in the middle of its work", () => {
  let dataDir: string;

  /** Opens the embedded database the way the bot does (taking its lock), runs `work`, closes it again. */
  async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const database = await openDatabase({ dataDir });
    try {
      return await work(database.prisma);
    } finally {
      await database.close();
    }
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "checkin-restart-"));
    await withDatabase(seedConsoleHouse);
  });
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("SIGTERM while delivering: the send in flight finishes, the rest of the claim is handed back, exit code 0 within 10 s; a restart sends the rest once", async () => {
    report("restart (SIGTERM, embedded database)", await sigtermWhileDelivering({ DATA_DIR: dataDir }, withDatabase, "evening"));
  }, 90_000);

  it("kill -9 while delivering: the next start takes over the stale lock by itself and carries on", async () => {
    await withDatabase((db) => queueBacklog(db, "night"));
    const killed = new BotProcess({ DATA_DIR: dataDir, ...ENV });
    const killedAt = await killed.signalWhen((out) => directMessagesIn(out).length >= 10, "SIGKILL");
    expect((await killed.exited).signal).toBe("SIGKILL");
    const lock = path.join(dataDir, "bot.pid");
    expect(existsSync(lock)).toBe(true);
    expect(readFileSync(lock, "utf8")).toBe(String(killed.pid));

    // No manual step: start again as if nothing happened, type a command, quit.
    const restarted = new BotProcess({ DATA_DIR: dataDir, ...ENV });
    await restarted.waitFor((out) => out.includes("[owner] > "));
    restarted.type("/help");
    await restarted.waitFor((out) => out.includes("What you can do in Local house"));
    restarted.type("quit");
    const exit = await restarted.exited;
    expect(exit.code).toBe(0);
    expect(restarted.stderr).not.toContain("cannot start");
    expect(existsSync(lock)).toBe(false);

    const rows = await withDatabase((db) => db.outbox.findMany({ where: { idempotencyKey: { startsWith: "night:" } } }));
    const byStatus = (status: string) => rows.filter((r) => r.status === status);
    // Nothing lost: what the killed process held is still there under a lease that runs out within a minute of the kill.
    expect(byStatus("sent").length + byStatus("pending").length + byStatus("sending").length).toBe(RESIDENTS);
    for (const row of byStatus("sending")) {
      expect(row.claimedBy?.startsWith(`${hostname()}:${killed.pid}:`)).toBe(true);
      expect(row.leaseUntil?.getTime()).toBeLessThanOrEqual(killedAt + 60_000);
    }
    const printed = [...directMessagesIn(killed.stdout), ...directMessagesIn(restarted.stdout)];
    expect(new Set(printed).size).toBe(printed.length);
    // The one send a kill can catch between the platform and the record: printed, not yet marked sent.
    const sentByKilled = byStatus("sent").filter((r) => r.claimedBy?.startsWith(`${hostname()}:${killed.pid}:`)).length;
    const printedNotRecorded = directMessagesIn(killed.stdout).length - sentByKilled;
    expect(printedNotRecorded === 0 || printedNotRecorded === 1).toBe(true);
    report("restart (kill -9)", {
      backlog: RESIDENTS,
      sentBeforeKill: directMessagesIn(killed.stdout).length,
      staleLockTakenOver: true,
      sentAfterRestart: directMessagesIn(restarted.stdout).length,
      heldUnderLeaseAfterKill: byStatus("sending").length,
      printedButNotRecorded: printedNotRecorded,
      stillQueued: byStatus("pending").length,
      exitCodeAfterQuit: exit.code,
    });
  }, 90_000);
});

describe.skipIf(skipWithoutPostgres)("stopping the bot in the middle of its work, on PostgreSQL", () => {
  let pg: Awaited<ReturnType<typeof createPostgresTestDatabase>>;

  beforeAll(async () => {
    pg = await createPostgresTestDatabase();
    await seedConsoleHouse(pg.database.prisma);
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it("SIGTERM while delivering with DATABASE_URL: claimed rows are handed back at once for the other processes, exit code 0", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "checkin-restart-pg-"));
    try {
      const inspect = <T>(work: (db: Db) => Promise<T>) => work(pg.database.prisma);
      report(
        "restart (SIGTERM, PostgreSQL)",
        await sigtermWhileDelivering({ DATABASE_URL: pg.url, DATA_DIR: dataDir }, inspect, "evening"),
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
