/**
 * One simulated day of the whole bot, in a process of its own so its memory is nobody else's,
 * started as `npm start` starts the bot (bench/support/memoryLaunch.ts), with this file in place of src/main.ts:
 * `node <npm start's flags> --expose-gc src/launch.mjs bench/support/memoryDay.ts <pglite|postgres> <seed|day> <data dir|database url> [--quick]`.
 * `seed` fills a new database with the population (in its own process, so seeding's garbage and
 * PGlite's one-off initdb are not counted), `day` opens it as the bot opens its database at start
 * and lives the day (given an empty database, as `--quick` does, it seeds a small population
 * itself: one process start fewer). `day` prints one `MEMORY_DAY {json}` line on stdout; progress goes to stderr.
 */
import { readFileSync } from "node:fs";
import { createApp } from "../../src/app.ts";
import { CHART_THREAD_IDLE_MS, chartThreadRunning } from "../../src/charts/index.ts";
import type { Clock } from "../../src/core/ports.ts";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { createTextCipher } from "../../src/db/crypto.ts";
import { createLogger } from "../../src/logger.ts";
import { type BenchDatabaseKind, log, rssMb } from "../harness.ts";
import { MemoryChat } from "./memoryChat.ts";
import { seedPopulation } from "./memoryPopulation.ts";
import { MEMORY_DAY_PREFIX, type MemoryDayResult } from "./memoryProtocol.ts";

const MINUTE = 60_000;
const RESIDENTS = 10_000;
const DAY_MINUTES = 24 * 60;
/**
 * The smoke test's sizes: enough hours for prompts, reminders, answers, closed windows and the
 * alerts they raise, in seconds rather than minutes.
 */
const QUICK_RESIDENTS = 100;
const QUICK_MINUTES = 7 * 60;
/** A Wednesday in March with no clock change in any of the population's zones. */
const START = new Date("2027-03-10T00:00:00Z");

/**
 * Wraps each sweeper (the scheduler holds the same array) to add up the seconds it takes, so a
 * slow day says where its time went.
 */
function timeSweepers(sweepers: Array<(now: Date) => Promise<void>>): Record<string, number> {
  const seconds: Record<string, number> = {};
  sweepers.forEach((sweeper, i) => {
    seconds[sweeper.name] = 0;
    sweepers[i] = async (now: Date) => {
      const started = performance.now();
      try {
        await sweeper(now);
      } finally {
        seconds[sweeper.name] = (seconds[sweeper.name] ?? 0) + (performance.now() - started) / 1000;
      }
    };
  });
  return seconds;
}

class SteppedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date): void {
    this.current = instant;
  }
}

/** The database as `npm start` opens it: a data directory for PGlite, DATABASE_URL for PostgreSQL. */
function open(kind: BenchDatabaseKind, location: string): Promise<Database> {
  return kind === "postgres" ? openDatabase({ databaseUrl: location, dataDir: "memory://" }) : openDatabase({ dataDir: location });
}

async function seed(kind: BenchDatabaseKind, database: Database, residents: number): Promise<void> {
  const started = performance.now();
  const population = await seedPopulation(database.prisma, residents, START);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`${kind}: ${population.residents} residents in ${population.houses} houses seeded in ${seconds} s`);
}

/** Anonymous and file-backed parts of the resident set (Linux): what the process allocated versus mapped code. */
function residentParts(): { anonMb: number; fileMb: number } {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { anonMb: kb("RssAnon") / 1024, fileMb: kb("RssFile") / 1024 };
  } catch {
    return { anonMb: Number.NaN, fileMb: Number.NaN };
  }
}

/** Two full collections, each followed by a turn of the event loop, in which native memory freed with its objects is released. */
async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc: settled memory needs a full collection");
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function liveOneDay(kind: BenchDatabaseKind, location: string, quick: boolean): Promise<MemoryDayResult> {
  const minutes = quick ? QUICK_MINUTES : DAY_MINUTES;
  const rssAtStart = rssMb();
  const database = await open(kind, location);
  try {
    const db = database.prisma;
    // The smoke test saves a process start by seeding here: its memory figures are not held to targets.
    if ((await db.house.count()) === 0) await seed(kind, database, QUICK_RESIDENTS);
    const [residents, houses] = await Promise.all([db.member.count({ where: { role: "resident" } }), db.house.count()]);

    const clock = new SteppedClock(START);
    const chat = new MemoryChat();
    const app = createApp({
      config: { defaultTimezone: "Europe/London" },
      cipher: createTextCipher(Buffer.alloc(32, 7).toString("base64")),
      database,
      adapters: [chat],
      clock,
      logger: createLogger(process.env.LOG_LEVEL ?? "warn"),
      timers: false,
    });
    await app.start();
    const sweepSeconds = timeSweepers(app.services.sweepers);

    /** Delivers everything due, `maxSendsInFlight` sends at a time, as the outbox's ticks do. Resolves with the rows claimed. */
    const drain = async () => {
      let claimed = 0;
      for (;;) {
        const summary = await app.outbox.runOnce();
        claimed += summary.claimed;
        if (summary.claimed === 0) return claimed;
      }
    };
    /**
     * The rest of the minute after its sweep: deliveries, and people answering what reached them
     * while the outbox goes on delivering, until nothing is left to send and nobody has anything
     * left to do. An answer may send more (an alert, its updates): that is delivered too.
     */
    const deliverAndAnswer = async () => {
      for (;;) {
        const [claimed, acted] = await Promise.all([drain(), chat.performReactions()]);
        if (claimed === 0 && acted === 0) return;
      }
    };
    await settle();
    const rssBeforeDay = rssMb();
    let peakRss = rssBeforeDay;
    const steps = { sweeps: 0, deliveriesAndAnswers: 0 };
    const dayStarted = performance.now();
    for (let minute = 0; minute < minutes; minute++) {
      const now = new Date(START.getTime() + minute * MINUTE);
      clock.set(now);
      const sweepStarted = performance.now();
      await app.scheduler.sweep(now);
      const delivering = performance.now();
      await deliverAndAnswer();
      steps.sweeps += (delivering - sweepStarted) / 1000;
      steps.deliveriesAndAnswers += (performance.now() - delivering) / 1000;
      peakRss = Math.max(peakRss, process.memoryUsage.rss() / 1024 / 1024);
      if (minute % 120 === 119) {
        log(
          `${kind}: ${String((minute + 1) / 60).padStart(2)} h, ${chat.counts.prompts} prompts, ${chat.counts.inboundEvents} events, rss ${rssMb().toFixed(0)} MB, ${((performance.now() - dayStarted) / 1000).toFixed(0)} s (sweeps ${steps.sweeps.toFixed(0)} s, of which digests ${(sweepSeconds.digests ?? 0).toFixed(0)} s)`,
        );
      }
    }
    const daySeconds = (performance.now() - dayStarted) / 1000;

    // The chart thread ends by itself once no chart has been asked for in a while, as it does in
    // the hours between a real day's digests; the bot's memory after the day is measured once it
    // has (the smoke test does not wait: its figures are not held to targets).
    const waitStarted = performance.now();
    while (!quick && chartThreadRunning() && performance.now() - waitStarted < CHART_THREAD_IDLE_MS + 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const chartThreadWaitSeconds = (performance.now() - waitStarted) / 1000;
    const chartThreadEnded = !chartThreadRunning();
    await settle();
    const memory = process.memoryUsage();
    const parts = residentParts();
    const rssAfterDay = memory.rss / 1024 / 1024;
    const [promptedCheckins, answeredCheckins, promptRowsSent, undelivered, alerts, missed] = await Promise.all([
      db.checkin.count({ where: { promptedAt: { not: null } } }),
      db.checkin.count({ where: { answeredAt: { not: null } } }),
      db.outbox.count({ where: { idempotencyKey: { startsWith: "checkin:" }, status: "sent" } }),
      db.outbox.count({ where: { status: { notIn: ["sent", "cancelled"] } } }),
      db.alert.count(),
      db.checkin.count({ where: { status: "missed", dueAt: { gt: START } } }),
    ]);
    await app.stop();
    return {
      kind,
      residents,
      houses,
      minutes,
      daySeconds,
      sweepSeconds,
      stepSeconds: steps,
      rssAtStartMb: rssAtStart,
      rssBeforeDayMb: rssBeforeDay,
      rssAfterDayMb: rssAfterDay,
      peakRssMb: Math.max(peakRss, rssAfterDay),
      heapUsedMb: memory.heapUsed / 1024 / 1024,
      heapTotalMb: memory.heapTotal / 1024 / 1024,
      ...parts,
      chartThreadEnded,
      chartThreadWaitSeconds,
      externalMb: memory.external / 1024 / 1024,
      arrayBuffersMb: memory.arrayBuffers / 1024 / 1024,
      counts: {
        ...chat.counts,
        promptedCheckins,
        answeredCheckins,
        promptRowsSent,
        undelivered,
        alerts,
        missed,
      },
    };
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const [kind, step, location] = process.argv.slice(2);
  const quick = process.argv.includes("--quick");
  if ((kind !== "pglite" && kind !== "postgres") || (step !== "seed" && step !== "day") || !location) {
    process.stderr.write("usage: memoryDay.ts <pglite|postgres> <seed|day> <data dir|database url> [--quick]\n");
    process.exit(2);
  }
  if (step === "seed") {
    const database = await open(kind, location);
    try {
      await seed(kind, database, RESIDENTS);
    } finally {
      await database.close();
    }
    return;
  }
  const result = await liveOneDay(kind, location, quick);
  process.stdout.write(`${MEMORY_DAY_PREFIX}${JSON.stringify(result)}\n`);
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    process.stderr.write(`memory day failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
