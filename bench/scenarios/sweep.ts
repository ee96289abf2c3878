import { randomBytes } from "node:crypto";
import { createApp } from "../../src/app.ts";
import type { MessageRef } from "../../src/core/events.ts";
import type { ChatAdapter, SentMessage } from "../../src/core/ports.ts";
import { createTextCipher } from "../../src/db/crypto.ts";
import { createLogger } from "../../src/logger.ts";
import { FakeClock } from "../../test/support/fakeClock.ts";
import {
  type BenchDatabaseKind,
  type Figure,
  log,
  median,
  noPostgresReason,
  openBenchDatabase,
  postgresUrl,
  round,
  runScenario,
  skippedFigure,
  timed,
} from "../harness.ts";
import { type PlantedWork, type PopulationPlan, seedPopulation } from "../support/sweepPopulation.ts";

/**
 * The minute sweep (every sweeper the bot runs each minute) on a small and a ten-times-larger
 * population that have the same work due: its cost must follow the due rows, not the number of
 * residents. The small population is seeded and measured, then grown in place to the large one
 * and measured again on later minutes planted with the same work.
 */

const SCENARIO = "sweep";
const TARGET_MS = 100;
const TARGET_RATIO = 1.5;
/**
 * A weekday afternoon in UTC, away from clock changes. The measured minutes avoid the quarter
 * hours, when whole zones' meetings, digests and posts fall due at once: that work grows with the
 * houses by design, and would make the two windows do different work.
 */
const START = new Date("2027-03-10T14:01:00Z");
const MINUTE_MS = 60_000;

interface Sizes {
  small: number;
  large: number;
  warmUps: number;
  measured: number;
  work: PlantedWork;
}

const FULL: Sizes = {
  small: 10_000,
  large: 100_000,
  warmUps: 2,
  measured: 7,
  work: { duePerMinute: 70, remindPerMinute: 21, closePerMinute: 7 },
};
const QUICK: Sizes = {
  small: 1_000,
  large: 3_000,
  warmUps: 1,
  measured: 2,
  work: { duePerMinute: 30, remindPerMinute: 9, closePerMinute: 3 },
};

/** Accepts every delivery and does nothing: the sweep only queues, so the platform never matters here. */
class NullAdapter implements ChatAdapter {
  readonly platform = "discord" as const;
  readonly capabilities = { images: true, forms: true, ephemeral: true, maxTextLength: 4000 };
  private sent = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async sendDirect(): Promise<SentMessage> {
    return this.ref();
  }
  async postToChannel(): Promise<SentMessage> {
    return this.ref();
  }
  async updateMessage(_workspaceId: string, _ref: MessageRef): Promise<void> {}
  private ref(): SentMessage {
    this.sent++;
    return { channelId: "null", messageId: String(this.sent) };
  }
}

function minutesFrom(start: Date, count: number): Date[] {
  return Array.from({ length: count }, (_, i) => new Date(start.getTime() + i * MINUTE_MS));
}

interface WindowResult {
  medianMs: number;
  maxMs: number;
  prompted: number;
  expectedPrompts: number;
  bySweeper: string;
}

async function measureDatabase(kind: BenchDatabaseKind, sizes: Sizes): Promise<{ small: WindowResult; large: WindowResult }> {
  const perWindow = sizes.warmUps + sizes.measured;
  // Two windows of consecutive minutes: the first on the small population, the second once it has grown.
  const smallMinutes = minutesFrom(START, perWindow);
  const largeMinutes = minutesFrom(new Date(START.getTime() + 15 * MINUTE_MS), perWindow);
  const plan: PopulationPlan = {
    ...sizes.work,
    minutes: [...smallMinutes, ...largeMinutes],
    seededAt: new Date(START.getTime() - MINUTE_MS),
  };
  const bench = await openBenchDatabase(kind);
  try {
    const db = bench.database.prisma;
    const seeded = await timed(() => seedPopulation(db, plan, { from: 0, count: sizes.small }, sizes.small));
    log(`${kind}: seeded ${sizes.small.toLocaleString("en")} residents in ${(seeded.ms / 1000).toFixed(1)} s`);

    const clock = new FakeClock(plan.seededAt);
    const logger = createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr);
    const app = createApp({
      config: { defaultTimezone: "Europe/London" },
      cipher: createTextCipher(randomBytes(32).toString("base64")),
      database: bench.database,
      adapters: [new NullAdapter()],
      clock,
      logger,
      timers: false,
    });
    const perSweeper = instrumentSweepers(app.services.sweepers);

    const sweepWindow = async (minutes: Date[], label: string): Promise<WindowResult> => {
      const before = await promptRows(db);
      const times: number[] = [];
      perSweeper.reset();
      for (const [i, minute] of minutes.entries()) {
        clock.set(minute);
        const { ms } = await timed(() => app.scheduler.sweep(minute));
        if (i >= sizes.warmUps) times.push(ms);
        else perSweeper.reset();
      }
      const prompted = (await promptRows(db)) - before;
      const result = {
        medianMs: median(times),
        maxMs: Math.max(...times),
        prompted,
        expectedPrompts: minutes.length * sizes.work.duePerMinute,
        bySweeper: perSweeper.summary(),
      };
      log(
        `${kind} ${label}: sweep median ${result.medianMs.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms; ${prompted} prompts queued; per sweeper (median ms) ${result.bySweeper}`,
      );
      return result;
    };

    const small = await sweepWindow(smallMinutes, sizes.small.toLocaleString("en"));
    const grown = await timed(() => seedPopulation(db, plan, { from: sizes.small, count: sizes.large - sizes.small }, sizes.small));
    log(`${kind}: grew to ${sizes.large.toLocaleString("en")} residents in ${(grown.ms / 1000).toFixed(1)} s`);
    const large = await sweepWindow(largeMinutes, sizes.large.toLocaleString("en"));
    return { small, large };
  } finally {
    await bench.dispose();
  }
}

/** The sweep's check-in prompts: one outbox row per resident and local date. */
async function promptRows(db: import("../../src/db/client.ts").Db): Promise<number> {
  return db.outbox.count({ where: { idempotencyKey: { startsWith: "checkin:" } } });
}

/**
 * Wraps each sweeper in place (the scheduler walks the same array) to time it, so a slow sweep
 * says which part was slow.
 */
function instrumentSweepers(sweepers: Array<(now: Date) => Promise<void>>) {
  const times = new Map<string, number[]>();
  for (const [i, sweeper] of sweepers.entries()) {
    const name = sweeper.name || `sweeper${i}`;
    sweepers[i] = async (now: Date) => {
      const start = performance.now();
      try {
        await sweeper(now);
      } finally {
        times.set(name, [...(times.get(name) ?? []), performance.now() - start]);
      }
    };
  }
  return {
    reset: () => times.clear(),
    summary: () => [...times].map(([name, samples]) => `${name} ${median(samples).toFixed(1)}`).join(", "),
  };
}

function figuresFor(label: string, sizes: Sizes, result: { small: WindowResult; large: WindowResult }): Figure[] {
  const ratio = result.large.medianMs / result.small.medianMs;
  const timeFigure = (size: number, r: WindowResult): Figure => ({
    scenario: SCENARIO,
    name: `sweep, ${size.toLocaleString("en")} residents, ${label}`,
    value: round(r.medianMs, 1),
    unit: "ms",
    target: `< ${TARGET_MS} ms`,
    pass: r.medianMs < TARGET_MS,
    note: `median of ${sizes.measured} consecutive minutes after ${sizes.warmUps} warm-up, max ${r.maxMs.toFixed(1)} ms; ${sizes.work.duePerMinute} prompts, ${sizes.work.remindPerMinute} reminders, ${sizes.work.closePerMinute} closes a minute; per sweeper ${r.bySweeper}`,
  });
  const promptsFigure = (size: number, r: WindowResult): Figure => ({
    scenario: SCENARIO,
    name: `due residents prompted, ${size.toLocaleString("en")} residents, ${label}`,
    value: r.prompted,
    unit: "prompts",
    target: `= ${r.expectedPrompts}`,
    pass: r.prompted === r.expectedPrompts,
    correctness: true,
  });
  return [
    timeFigure(sizes.small, result.small),
    timeFigure(sizes.large, result.large),
    {
      scenario: SCENARIO,
      name: `sweep ${sizes.large.toLocaleString("en")} / ${sizes.small.toLocaleString("en")}, ${label}`,
      value: round(ratio, 2),
      unit: "×",
      target: `≤ ${TARGET_RATIO}`,
      pass: ratio <= TARGET_RATIO,
    },
    promptsFigure(sizes.small, result.small),
    promptsFigure(sizes.large, result.large),
  ];
}

runScenario(SCENARIO, async ({ quick }) => {
  const sizes = quick ? QUICK : FULL;
  const figures = figuresFor("PGlite", sizes, await measureDatabase("pglite", sizes));
  if (postgresUrl) {
    figures.push(...figuresFor("PostgreSQL", sizes, await measureDatabase("postgres", sizes)));
  } else {
    for (const size of [sizes.small, sizes.large]) {
      figures.push(
        skippedFigure(SCENARIO, `sweep, ${size.toLocaleString("en")} residents, PostgreSQL`, "ms", `< ${TARGET_MS} ms`, noPostgresReason),
      );
    }
    figures.push(skippedFigure(SCENARIO, `sweep ${sizes.large} / ${sizes.small}, PostgreSQL`, "×", `≤ ${TARGET_RATIO}`, noPostgresReason));
  }
  return figures;
});
