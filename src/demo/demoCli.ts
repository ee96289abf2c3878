import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import dotenv from "dotenv";
import pino from "pino";
import { ConfigError, loadConfig } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { createTextCipher, resolveEncryptionKey } from "../db/crypto.ts";
import { createLogger } from "../logger.ts";
import { playDemoWeek } from "./demoWeek.ts";

/**
 * `npm run demo [-- --speed N|max] [--days N] [--yes]`: a demo house in its own embedded
 * database (DATA_DIR/demo), separate from real data, and a week played through it.
 */
function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

dotenv.config({ quiet: true });
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig({ ...process.env, DATABASE_URL: "" });
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`Please fix these settings:\n${error.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exit(2);
  }
  throw error;
}
const days = Number(flag("days") ?? "7");
const speedFlag = flag("speed") ?? "20";
if (!Number.isInteger(days) || days < 1 || days > 14) {
  process.stderr.write("--days must be a whole number from 1 to 14\n");
  process.exit(2);
}
const speed = speedFlag === "max" ? Number.POSITIVE_INFINITY : Number(speedFlag);
if (!(speed > 0)) {
  process.stderr.write("--speed must be a positive number (steps per second) or max\n");
  process.exit(2);
}

const demoDir = path.join(config.dataDir, "demo");
if (existsSync(demoDir)) {
  let reset = process.argv.includes("--yes");
  if (!reset && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    reset = /^y/i.test(await rl.question(`A demo house already exists in ${demoDir}. Reset it? [y/N] `));
    rl.close();
  }
  if (!reset) {
    process.stdout.write("Keeping the existing demo house. Run with --yes to reset it, or try it with: npm start -- --house demo\n");
    process.exit(0);
  }
  rmSync(demoDir, { recursive: true, force: true });
}

let stopping = false;
process.on("SIGINT", () => {
  stopping = true;
  process.stdout.write("\nStopping the demo…\n");
});

const database = await openDatabase({ dataDir: demoDir });
const { key } = resolveEncryptionKey(undefined, demoDir);
try {
  await playDemoWeek({
    database,
    cipher: createTextCipher(key),
    logger: createLogger("warn", pino.destination({ dest: path.join(demoDir, "demo.log"), sync: false })),
    output: process.stdout,
    days,
    pauseMs: Number.isFinite(speed) ? Math.round(1000 / speed) : 0,
    shouldStop: () => stopping,
  });
} finally {
  await database.close();
}
