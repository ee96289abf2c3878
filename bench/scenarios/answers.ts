import { randomBytes } from "node:crypto";
import { DiscordAdapter } from "../../src/adapters/discord/discordAdapter.ts";
import { createSlackAdapter } from "../../src/adapters/slack/index.ts";
import { createApp } from "../../src/app.ts";
import type { ChatAdapter } from "../../src/core/ports.ts";
import { systemClock } from "../../src/core/ports.ts";
import { createTextCipher } from "../../src/db/crypto.ts";
import { createLogger } from "../../src/logger.ts";
import { type Figure, figure, log, openBenchDatabase, percentile, round, runScenario } from "../harness.ts";
import {
  filledAnswers,
  type Person,
  PRESSES_PER_CHECKIN,
  people,
  planAnswers,
  plannedPresses,
  postDiscordPrompts,
  type Resident,
  seedHouse,
  slackPrompts,
  storedAnswers,
} from "../support/answersHouse.ts";
import { PlatformThread } from "../support/answersPlatform.ts";
import type { Injected, PlatformName, PlatformSetup, Started } from "../support/answersProtocol.ts";

/**
 * Residents answering their check-in by button, 200 presses a second for a minute, through each
 * platform's double into the real adapter (discord.js on the gateway; Bolt in Socket Mode) and
 * the whole bot on the embedded database, its scheduler and outbox running. Measured: how soon
 * the platform hears the acknowledgement (Discord: INTERACTION_CREATE dispatched → callback
 * POST received; Slack: envelope sent → ack received), and that every answer is stored once.
 */

const SCENARIO = "answers";
const PER_SECOND = 200;
const TARGET_P99_MS = 100;
/** The injector is part of the measurement: if it fell behind, the load was lighter than claimed. */
const MIN_RATE = 190;
const GUILD_ID = "310000000000000042";
const TEAM_ID = "TCEDARHOUSE";

interface Sizes {
  /** 3,000 residents × 4 questions = 12,000 presses = 60 s at 200/s. */
  residents: number;
  /** How long stored answers may trail the last press before the missing ones count as lost. */
  drainMs: number;
}

const FULL: Sizes = { residents: Number(process.env.BENCH_ANSWERS_RESIDENTS ?? 3_000), drainMs: 45_000 };
const QUICK: Sizes = { residents: 40, drainMs: 30_000 };

const platformLabel: Record<PlatformName, string> = { discord: "Discord", slack: "Slack" };

function setupFor(platform: PlatformName, staff: Person[], residents: Person[]): PlatformSetup {
  const everyone = [...staff, ...residents];
  if (platform === "discord") {
    return {
      platform,
      guilds: [
        {
          id: GUILD_ID,
          name: "Cedar House",
          ownerId: staff[0]?.userId ?? "",
          members: everyone.map((p) => ({ id: p.userId, username: p.userName, globalName: p.userName })),
          channels: [
            { id: "320000000000000042", name: "staff" },
            { id: "320000000000000043", name: "house" },
          ],
        },
      ],
    };
  }
  return {
    platform,
    teamId: TEAM_ID,
    users: everyone.map((p, i) => ({ id: p.userId, name: p.userName, displayName: p.userName, tz: "Europe/London", isOwner: i === 0 })),
  };
}

function adapterFor(platform: PlatformName, started: Started, logger: ReturnType<typeof createLogger>): ChatAdapter {
  if (platform === "discord") return new DiscordAdapter({ token: started.token, apiUrl: started.apiUrl, logger });
  return createSlackAdapter(
    { botToken: "xoxb-bench", appToken: "xapp-bench", signingSecret: undefined, apiUrl: started.apiUrl, mode: "socket" },
    logger,
  );
}

/** Polls until every answer field is filled: rarely while presses arrive, often once they stop. */
async function allStored(db: Parameters<typeof filledAnswers>[0], expected: number, plannedEnd: number, drainMs: number) {
  let lastLog = Date.now();
  for (;;) {
    const now = Date.now();
    await new Promise((resolve) => setTimeout(resolve, now < plannedEnd ? 1_000 : 25));
    const filled = await filledAnswers(db);
    if (filled >= expected) return Date.now();
    if (Date.now() > plannedEnd + drainMs) return null;
    if (Date.now() - lastLog > 10_000) {
      log(`  ${filled} of ${expected} answers stored`);
      lastLog = Date.now();
    }
  }
}

async function runPlatform(platform: PlatformName, sizes: Sizes): Promise<Figure[]> {
  const label = platformLabel[platform];
  const thread = new PlatformThread();
  const bench = await openBenchDatabase("pglite");
  const db = bench.database.prisma;
  const logger = createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr);
  try {
    const staff = people(platform, 3, "staff");
    const who = people(platform, sizes.residents, "resident");
    const started = await thread.start(setupFor(platform, staff, who));
    const dmOf = (p: Person) => (platform === "discord" ? (started.dmChannels[p.userId] ?? "") : `D${p.userId.slice(1)}`);
    const seeded = await seedHouse(db, {
      platform,
      workspaceId: platform === "discord" ? GUILD_ID : TEAM_ID,
      staff,
      residents: who.map((p) => ({ ...p, dmChannelId: dmOf(p) })),
      now: new Date(),
    });
    const residents: Resident[] =
      platform === "discord" ? await postDiscordPrompts(started.apiUrl, started.token, seeded.residents) : slackPrompts(seeded.residents);
    const answers = planAnswers(residents.length);
    const presses = plannedPresses(residents, answers);
    const expected = residents.length * PRESSES_PER_CHECKIN;

    const app = createApp({
      config: { defaultTimezone: "Europe/London" },
      cipher: createTextCipher(randomBytes(32).toString("base64")),
      database: bench.database,
      adapters: [adapterFor(platform, started, logger)],
      clock: systemClock,
      logger,
      outboxEverySeconds: 3,
    });
    await app.start();
    log(`${label}: ${residents.length} residents, ${presses.length} presses at ${PER_SECOND}/s`);

    const plannedEnd = Date.now() + (presses.length / PER_SECOND) * 1000;
    const [injected, storedAt] = await Promise.all([
      thread.inject(presses, PER_SECOND),
      allStored(db, expected, plannedEnd, sizes.drainMs),
    ]);
    const { stored, wrong } = await storedAnswers(db, residents, answers);
    const recorded = await db.inboundEvent.count({ where: { platform } });
    const replies = await thread.replies();
    await app.stop();
    return figures(label, { injected, storedAt, stored, wrong, expected, recorded, replies, pressed: presses.length });
  } finally {
    await thread.close();
    await bench.dispose();
  }
}

function figures(
  label: string,
  run: {
    injected: Injected;
    storedAt: number | null;
    stored: number;
    wrong: number;
    expected: number;
    recorded: number;
    replies: Awaited<ReturnType<PlatformThread["replies"]>>;
    pressed: number;
  },
): Figure[] {
  const { injected } = run;
  // An unacknowledged press counts as infinitely slow, so it can only push the percentiles up.
  const samples = [...injected.latenciesMs, ...Array<number>(injected.unacknowledged).fill(Number.POSITIVE_INFINITY)];
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  const max = percentile(samples, 100);
  const spanS = (injected.lastAt - injected.firstAt) / 1000;
  const rate = spanS > 0 ? (run.pressed - 1) / spanS : Number.NaN;
  const drainS = run.storedAt === null ? Number.NaN : Math.max(0, (run.storedAt - injected.lastAt) / 1000);
  const twice = run.replies.acknowledgedTwice + run.replies.updatedTwice;
  log(
    `${label}: ack p50 ${round(p50)} ms, p99 ${round(p99)} ms, max ${round(max)} ms; ${injected.unacknowledged} unacknowledged; ` +
      `${round(rate)}/s injected; stored ${run.stored}/${run.expected}, last ${round(drainS, 2)} s after the last press`,
  );
  return [
    figure({
      scenario: SCENARIO,
      name: `acknowledgement p99, ${label}, ${PER_SECOND} answers/s`,
      value: round(p99),
      unit: "ms",
      target: `< ${TARGET_P99_MS} ms`,
      pass: p99 < TARGET_P99_MS,
      note: `p50 ${round(p50)} ms, max ${round(max)} ms over ${samples.length} presses; ${injected.unacknowledged} never acknowledged`,
    }),
    figure({
      scenario: SCENARIO,
      name: `answers stored, ${label}`,
      value: run.stored,
      unit: "answers",
      target: `all ${run.expected}`,
      pass: run.stored === run.expected && run.wrong === 0,
      correctness: true,
      note: `${run.expected - run.stored} lost, ${run.wrong} stored wrong; ${run.recorded} inbound events recorded for ${run.pressed} presses`,
    }),
    figure({
      scenario: SCENARIO,
      name: `answers handled twice, ${label}`,
      value: twice,
      unit: "",
      target: "0",
      pass: twice === 0 && run.recorded === run.pressed,
      correctness: true,
      note: `${run.replies.acknowledgedTwice} acknowledged twice, ${run.replies.updatedTwice} answered twice; ${run.replies.updates} message updates so far`,
    }),
    figure({
      scenario: SCENARIO,
      name: `injection rate, ${label}`,
      value: round(rate),
      unit: "/s",
      target: `≥ ${MIN_RATE}/s (planned ${PER_SECOND}/s)`,
      pass: rate >= MIN_RATE,
      note: `${run.pressed} presses over ${round(spanS, 1)} s; the latest was ${round(injected.maxLateMs)} ms behind plan`,
    }),
    figure({
      scenario: SCENARIO,
      name: `last answer stored after the last press, ${label}`,
      value: round(drainS, 2),
      unit: "s",
      target: "reported",
      pass: run.storedAt !== null,
      note: run.storedAt === null ? "not every answer was stored in time" : "how far storing trails the load",
    }),
  ];
}

runScenario(SCENARIO, async ({ quick }) => {
  const sizes = quick ? QUICK : FULL;
  const results: Figure[] = [];
  // BENCH_ANSWERS_ONLY=discord (or slack) measures one platform, e.g. while working on its adapter.
  const only = process.env.BENCH_ANSWERS_ONLY;
  const platforms: PlatformName[] = only === "discord" || only === "slack" ? [only] : ["discord", "slack"];
  for (const platform of platforms) results.push(...(await runPlatform(platform, sizes)));
  return results;
});
