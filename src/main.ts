import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import pino from "pino";
import { ConsoleAdapter, consoleBanner } from "./adapters/console/consoleAdapter.ts";
import { platformAdapters } from "./adapters/index.ts";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { systemClock } from "./core/ports.ts";
import { openDatabase } from "./db/client.ts";
import { createTextCipher, resolveEncryptionKey } from "./db/crypto.ts";
import { DataDirBusyError } from "./db/dataDirLock.ts";
import { createLogger } from "./logger.ts";

const EXIT_CONFIG = 2;
const STOP_DEADLINE_MS = 10_000;

function fail(lines: string[], code: number): never {
  process.stderr.write(`${lines.join("\n")}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(
        ["The bot cannot start: please fix these settings (in .env or the environment):", ...error.problems.map((p) => `  - ${p}`)],
        EXIT_CONFIG,
      );
    }
    throw error;
  }

  // `npm start -- --house demo` opens the demo house that `npm run demo` made, apart from real data.
  const houseFlag = process.argv.indexOf("--house");
  const demo = houseFlag >= 0 && process.argv[houseFlag + 1] === "demo";
  if (houseFlag >= 0 && !demo) fail(["--house takes only: demo"], EXIT_CONFIG);
  if (demo) {
    if (config.databaseUrl || config.discord || config.slack)
      fail(["--house demo runs the console on the embedded demo database; unset DATABASE_URL and chat tokens"], EXIT_CONFIG);
    if (!existsSync(path.join(config.dataDir, "demo"))) fail(["There is no demo house yet: run npm run demo first."], EXIT_CONFIG);
    config = { ...config, dataDir: path.join(config.dataDir, "demo") };
  }
  const consoleMode = !config.discord && !config.slack;
  // In the console the terminal is the chat, so logs go to a file beside the data.
  mkdirSync(config.dataDir, { recursive: true });
  const logFile = path.join(config.dataDir, "bot.log");
  const logger = createLogger(config.logLevel, consoleMode ? pino.destination({ dest: logFile, sync: false }) : undefined);

  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof DataDirBusyError) fail([`The bot cannot start: ${error.message}.`], 1);
    const where = config.databaseUrl ? "the PostgreSQL server in DATABASE_URL" : `the embedded database in ${config.dataDir}`;
    fail([`The bot cannot start: could not open ${where}: ${(error as Error).message}`], 1);
  }
  if (database.applied.length) logger.info({ migrations: database.applied }, "database migrated");
  const encryption = resolveEncryptionKey(config.encryptionKey, config.dataDir);
  if (encryption.generatedAt) {
    logger.warn(
      { file: encryption.generatedAt },
      "ENCRYPTION_KEY is not set: generated one; back this file up with the data, or notes cannot be read",
    );
  }
  const cipher = createTextCipher(encryption.key, config.previousEncryptionKeys);
  const adapters = await platformAdapters(config, logger, { db: database.prisma, cipher });

  let consoleAdapter: ConsoleAdapter | null = null;
  if (consoleMode) {
    const location = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `${path.resolve(config.dataDir)} (log: ${logFile})`;
    consoleAdapter = new ConsoleAdapter({
      input: process.stdin,
      output: process.stdout,
      banner: consoleBanner(location, demo),
      attachmentsDir: path.join(config.dataDir, "attachments"),
      ...(demo ? { workspaceId: "demo", startAs: "sam" } : {}),
    });
    adapters.push(consoleAdapter);
  }

  const app = createApp({
    config,
    cipher,
    database,
    adapters,
    clock: systemClock,
    logger,
    outboxEverySeconds: consoleMode ? 1 : 3,
  });

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "stopping");
    setTimeout(() => {
      logger.error({}, "stop took too long; exiting");
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    await app.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  try {
    await app.start();
  } catch (error) {
    // A wrong token or an unreachable platform: say which, without a stack trace.
    await app.stop().catch(() => undefined);
    await database.close();
    const platforms = adapters.map((a) => a.platform).join(" and ");
    fail([`The bot cannot start: could not connect to ${platforms}: ${(error as Error).message}`], 1);
  }
  logger.info({ database: database.kind, platforms: adapters.map((a) => a.platform) }, "bot started");
  if (consoleAdapter) {
    await consoleAdapter.closed;
    // Let anything the last command queued reach the screen before closing.
    await app.outbox.runOnce();
    await stop("console closed");
  }
}

main().catch((error: unknown) => {
  fail([`The bot stopped unexpectedly: ${(error as Error).message ?? String(error)}`], 1);
});
