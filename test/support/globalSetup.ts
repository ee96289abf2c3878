import { createHash } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { pgliteSession } from "../../src/db/client.ts";
import { applyMigrations, readMigrations } from "../../src/db/migrate.ts";

/**
 * Migrates one in-memory PGlite and dumps its data directory; every test file then starts its
 * own database from that dump in about half a second instead of migrating again.
 */
export default async function setup(project: TestProject) {
  const migrations = readMigrations();
  const fingerprint = createHash("sha256")
    .update(migrations.map((m) => m.checksum).join(","))
    .digest("hex")
    .slice(0, 16);
  const dumpPath = path.join(tmpdir(), `checkin-bot-template-${fingerprint}.tar.gz`);
  if (!existsSync(dumpPath)) {
    const pglite = await PGlite.create();
    await applyMigrations(pgliteSession(pglite), migrations);
    const dump = await pglite.dumpDataDir("gzip");
    writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
    await pglite.close();
  }
  project.provide("templateDump", dumpPath);
  if (!process.env.TEST_DATABASE_URL) {
    console.log("[tests] TEST_DATABASE_URL is not set: PostgreSQL-only tests will be skipped.");
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDump: string;
  }
}
