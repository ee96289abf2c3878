import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it, vi } from "vitest";

/**
 * A bot on PostgreSQL must not carry the embedded database's code (about 40 MB of resident
 * memory, a fifth of its budget): PGlite and its Prisma adapter load only when a PGlite database
 * is opened. The mocks pass the real modules through and note that they were loaded.
 */
const loaded = vi.hoisted(() => new Set<string>());
vi.mock("@electric-sql/pglite", async (importOriginal) => {
  loaded.add("@electric-sql/pglite");
  return importOriginal();
});
vi.mock("pglite-prisma-adapter", async (importOriginal) => {
  loaded.add("pglite-prisma-adapter");
  return importOriginal();
});

const postgresUrl = process.env.TEST_DATABASE_URL;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresUrl)("a bot on PostgreSQL", () => {
  it("works without ever loading PGlite, which an embedded database then loads", async () => {
    const { createApp } = await import("../../../src/app.ts");
    const { openDatabase } = await import("../../../src/db/client.ts");
    expect(createApp).toBeTypeOf("function");

    const name = `checkin_test_${randomBytes(5).toString("hex")}`;
    await admin(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(postgresUrl as string);
      url.pathname = `/${name}`;
      const database = await openDatabase({ databaseUrl: url.toString(), dataDir: "memory://" });
      try {
        await database.prisma.$transaction(async (tx) => {
          await tx.house.create({ data: { platform: "slack", workspaceId: "T1", name: "On PostgreSQL", timezone: "Europe/London" } });
        });
        expect(await database.prisma.house.count()).toBe(1);
      } finally {
        await database.close();
      }
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    expect([...loaded]).toEqual([]);

    const embedded = await openDatabase({ dataDir: "memory://" });
    try {
      expect(await embedded.prisma.house.count()).toBe(0);
    } finally {
      await embedded.close();
    }
    expect([...loaded].sort()).toEqual(["@electric-sql/pglite", "pglite-prisma-adapter"]);
  }, 120_000);
});
