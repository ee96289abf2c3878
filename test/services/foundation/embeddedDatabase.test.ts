import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, pgliteSession, wrapPglite } from "../../../src/db/client.ts";
import { applyMigrations } from "../../../src/db/migrate.ts";
import { openPglite, PGLITE_SHARED_BUFFERS } from "../../../src/db/pglite.ts";

/**
 * The embedded database as `npm start` opens it: a data directory, PostgreSQL's page cache kept
 * small (the memory budget in docs/performance.md depends on it), and Prisma connected through
 * the PGlite adapter it loads on first use.
 */
describe("the embedded database", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "checkin-embedded-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // Two new databases, each made by initdb and migrated: slow on a busy machine.
  it("keeps PostgreSQL's page cache small, in a data directory and in memory alike", async () => {
    for (const where of [dataDir, "memory://"]) {
      const database = await openDatabase({ dataDir: where });
      try {
        const [setting] = await database.prisma.$queryRaw<Array<{ shared_buffers: string }>>`SHOW shared_buffers`;
        expect(setting?.shared_buffers, where).toBe(PGLITE_SHARED_BUFFERS);
      } finally {
        await database.close();
      }
    }
  }, 120_000);

  it("commits through Prisma, transactions included, and finds the data again after a restart", async () => {
    const first = await openDatabase({ dataDir });
    await first.prisma.$transaction(async (tx) => {
      const house = await tx.house.create({
        data: { platform: "discord", workspaceId: "embedded", name: "Embedded", timezone: "Europe/London" },
      });
      await tx.member.create({ data: { houseId: house.id, platformUserId: "amy", displayName: "amy", status: "active" } });
    });
    await expect(
      first.prisma.$transaction(async (tx) => {
        await tx.house.create({ data: { platform: "discord", workspaceId: "rolled-back", name: "Never", timezone: "Europe/London" } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await first.close();

    const again = await openDatabase({ dataDir });
    try {
      expect(again.applied).toEqual([]);
      const houses = await again.prisma.house.findMany({ include: { members: true } });
      expect(houses.map((h) => [h.workspaceId, h.members.map((m) => m.platformUserId)])).toEqual([["embedded", ["amy"]]]);
    } finally {
      await again.close();
    }
  });

  it("hands PGlite no parser table with each statement, and Prisma still gets dates, JSON and counts back", async () => {
    const pglite = await openPglite("memory://");
    await applyMigrations(pgliteSession(pglite));
    // What PGlite itself is asked, beneath everything the bot installs on top of it.
    const statementsWithParsers: string[] = [];
    const query = pglite.query.bind(pglite);
    pglite.query = ((sql: string, params?: unknown[], options?: { parsers?: unknown }) => {
      if (options?.parsers) statementsWithParsers.push(sql);
      return query(sql, params, options as never);
    }) as typeof pglite.query;
    const transaction = pglite.transaction.bind(pglite);
    pglite.transaction = ((callback) =>
      transaction((tx) => {
        const txQuery = tx.query.bind(tx);
        tx.query = ((sql: string, params?: unknown[], options?: { parsers?: unknown }) => {
          if (options?.parsers) statementsWithParsers.push(sql);
          return txQuery(sql, params, options as never);
        }) as typeof tx.query;
        return callback(tx);
      })) as typeof pglite.transaction;
    const database = wrapPglite(pglite);
    try {
      const created = await database.prisma.$transaction((tx) =>
        tx.house.create({
          data: {
            platform: "slack",
            workspaceId: "parsers",
            name: "Parsers",
            timezone: "Europe/London",
            settings: { cravingThreshold: 7 },
          },
        }),
      );
      const found = await database.prisma.house.findUniqueOrThrow({ where: { id: created.id } });
      const [counted] = await database.prisma.$queryRaw<
        Array<{ houses: bigint | number | string }>
      >`SELECT count(*) AS houses FROM "House"`;
      expect(found.createdAt).toBeInstanceOf(Date);
      expect(found.createdAt.getTime()).toBe(created.createdAt.getTime());
      expect(found.settings).toEqual({ cravingThreshold: 7 });
      expect(Number(counted?.houses)).toBe(1);
      expect(statementsWithParsers).toEqual([]);
    } finally {
      await database.close();
    }
  }, 60_000);
});
