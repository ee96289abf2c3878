import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Message } from "../core/message.ts";
import type { Logger } from "../core/ports.ts";
import { openDatabase } from "../db/client.ts";
import { createTextCipher } from "../db/crypto.ts";
import { createReports } from "../services/reports/reports.ts";
import { SAMPLE_NOW, SAMPLE_TODAY, seedSampleHouse } from "./sampleHouse.ts";

/**
 * `npx tsx src/charts/renderSamplesCli.ts`: draws docs/sample-digest.png and
 * docs/sample-summary.png from a made-up house in an in-memory database, through the same
 * reports service the bot uses, and prints each text fallback. Same data, same fonts, same
 * pixels on every run.
 */

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function write(message: Message, file: string): void {
  const image = message.attachments?.[0];
  if (!image) throw new Error(`${file}: the view came without its chart`);
  writeFileSync(file, Buffer.from(image.base64, "base64"));
  const lines = [
    message.title ?? "",
    message.text,
    ...(message.fields ?? []).map((f) => `${f.label}: ${f.value}`),
    `[alt] ${image.altText}`,
  ];
  process.stdout.write(`\n${file}\n${lines.join("\n")}\n`);
}

const database = await openDatabase({ dataDir: "memory://" });
try {
  const deps = {
    db: database.prisma,
    clock: { now: () => new Date(SAMPLE_NOW) },
    logger: silent,
    defaultTimezone: "Europe/London",
    cipher: createTextCipher(randomBytes(32).toString("base64")),
  };
  const sample = await seedSampleHouse(database.prisma);
  const reports = createReports(deps);
  const docs = fileURLToPath(new URL("../../docs/", import.meta.url));
  mkdirSync(docs, { recursive: true });

  const digest = await reports.houseDigest(sample.houseId, SAMPLE_TODAY);
  write(await digest.forCounsellors(), `${docs}sample-digest.png`);
  const summary = await reports.residentSummary(sample.houseId, sample.counsellorId, sample.residentIds.Amara ?? "");
  if (summary.outcome !== "shown") throw new Error(`no sample summary: ${summary.outcome}`);
  write(summary.message, `${docs}sample-summary.png`);
} finally {
  await database.close();
}
