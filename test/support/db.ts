import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase, wrapPglite } from "../../src/db/client.ts";

/** A fresh, migrated in-memory database for one test file. Close it in afterAll. */
export async function createTestDatabase(): Promise<Database> {
  const dump = readFileSync(inject("templateDump"));
  const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
  return wrapPglite(pglite);
}

export const postgresUrl = process.env.TEST_DATABASE_URL;
export const skipWithoutPostgres = postgresUrl ? false : "TEST_DATABASE_URL is not set";

/**
 * A throwaway database on the PostgreSQL server in TEST_DATABASE_URL, migrated by the bot's own
 * runner, dropped again by `drop()`.
 */
export async function createPostgresTestDatabase(): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  if (!postgresUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `checkin_test_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: "memory://" });
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      const again = new pg.Client({ connectionString: postgresUrl });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}
