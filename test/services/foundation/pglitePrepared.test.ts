import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, pgliteSession, wrapPglite } from "../../../src/db/client.ts";
import { applyMigrations } from "../../../src/db/migrate.ts";
import { openPglite } from "../../../src/db/pglite.ts";
import { MAX_PREPARED_STATEMENTS, type PreparedStatementStats } from "../../../src/db/pglitePrepared.ts";

/**
 * The embedded database runs Prisma's statements as prepared statements: planned once per
 * statement text, then only bound and executed. Everything Prisma reads and writes must come
 * back exactly as it did through PGlite's own query().
 */
describe("prepared statements on the embedded database", () => {
  let database: Database;
  let preparedInDatabase: () => Promise<number>;

  beforeAll(async () => {
    const pglite = await openPglite("memory://");
    await applyMigrations(pgliteSession(pglite));
    database = wrapPglite(pglite);
    // Read beneath Prisma, through PGlite's simple protocol, which the prepared path leaves alone.
    preparedInDatabase = async () => {
      const [result] = await pglite.exec("SELECT count(*)::int AS n FROM pg_prepared_statements");
      return (result?.rows[0] as { n: number }).n;
    };
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });

  it("a house, its members and a meeting come back with dates, JSON, lists, nulls and flags intact", async () => {
    const house = await database.prisma.house.create({
      data: {
        platform: "discord",
        workspaceId: "prepared",
        name: "Prepared House",
        timezone: "America/Chicago",
        settings: { cravingThreshold: 6, note: "quotes \" and 'apostrophes'" },
      },
    });
    const consentAt = new Date("2026-01-04T09:30:15.123Z");
    await database.prisma.member.createMany({
      data: [
        { houseId: house.id, platformUserId: "ana", displayName: "Ana", status: "active", consentAt, shareLapseWithBuddy: true },
        { houseId: house.id, platformUserId: "ben", displayName: "Ben O'Neil", status: "invited" },
      ],
    });
    await database.prisma.meeting.create({
      data: {
        houseId: house.id,
        externalSlug: "tue-thu",
        name: "Tuesday, Thursday",
        weekdays: [2, 4],
        startTime: "19:00",
        timezone: "America/Chicago",
        types: ["O", "D"],
        location: null,
      },
    });

    const found = await database.prisma.house.findUniqueOrThrow({
      where: { id: house.id },
      include: { members: { orderBy: { platformUserId: "asc" } }, meetings: true },
    });
    expect(found.settings).toEqual({ cravingThreshold: 6, note: "quotes \" and 'apostrophes'" });
    expect(found.createdAt).toEqual(house.createdAt);
    expect(found.members.map((m) => [m.displayName, m.status, m.consentAt, m.shareLapseWithBuddy])).toEqual([
      ["Ana", "active", consentAt, true],
      ["Ben O'Neil", "invited", null, false],
    ]);
    expect(found.meetings.map((m) => [m.weekdays, m.types, m.location])).toEqual([[[2, 4], ["O", "D"], null]]);
    const [counted] = await database.prisma.$queryRaw<Array<{ members: number }>>`
      SELECT count(*)::int AS members FROM "Member" WHERE "houseId" = ${house.id} AND "consentAt" < ${new Date()}`;
    expect(counted?.members).toBe(1);
  });

  it("the same statement with new values is planned once and bound each time", async () => {
    const stats = statsOf(database);
    const before = { ...stats };
    for (const name of ["ana", "ben", "ana", "nobody"]) {
      await database.prisma.member.findFirst({ where: { platformUserId: name } });
    }
    expect(stats.executions - before.executions).toBe(4);
    expect(stats.prepared - before.prepared).toBeLessThanOrEqual(1);
  });

  it("a failing statement raises PostgreSQL's error, is not kept, and leaves the database working", async () => {
    const house = await database.prisma.house.findFirstOrThrow();
    const duplicate = () => database.prisma.member.create({ data: { houseId: house.id, platformUserId: "ana", displayName: "Ana again" } });
    await expect(duplicate()).rejects.toThrow(/duplicate key value violates unique constraint/);
    const prepared = statsOf(database).prepared;
    await expect(database.prisma.$queryRawUnsafe("SELEC nonsense")).rejects.toMatchObject({
      code: "P2010",
      meta: { driverAdapterError: { cause: { code: "42601" } } },
    });
    expect(statsOf(database).prepared).toBe(prepared);
    // A transaction that fails part-way is rolled back; its statements stay usable afterwards.
    await expect(
      database.prisma.$transaction(async (tx) => {
        await tx.member.update({
          where: { houseId_platformUserId: { houseId: house.id, platformUserId: "ben" } },
          data: { displayName: "Changed" },
        });
        await tx.member.create({ data: { houseId: house.id, platformUserId: "ana", displayName: "Ana again" } });
      }),
    ).rejects.toThrow(/duplicate key value violates unique constraint/);
    const ben = await database.prisma.member.findUniqueOrThrow({
      where: { houseId_platformUserId: { houseId: house.id, platformUserId: "ben" } },
    });
    expect(ben.displayName).toBe("Ben O'Neil");
    // The update first prepared inside the rolled-back transaction runs again outside it.
    await database.prisma.member.update({
      where: { houseId_platformUserId: { houseId: house.id, platformUserId: "ben" } },
      data: { displayName: "Ben" },
    });
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: ben.id } })).displayName).toBe("Ben");
    expect(await database.prisma.member.count({ where: { houseId: house.id } })).toBe(2);
  });

  it("beyond its limit the least recently used statement is closed, and is prepared again when it returns", async () => {
    const distinct = MAX_PREPARED_STATEMENTS + 20;
    for (let i = 0; i < distinct; i++) {
      // Each text is a different statement to PostgreSQL.
      await database.prisma.$queryRawUnsafe(`SELECT $1::int + ${i} AS n`, 1);
    }
    expect(await preparedInDatabase()).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
    const [first] = await database.prisma.$queryRawUnsafe<Array<{ n: number }>>("SELECT $1::int + 0 AS n", 41);
    expect(first?.n).toBe(41);
  });
});

function statsOf(database: Database): PreparedStatementStats {
  const stats = database.preparedStatements;
  if (!stats) throw new Error("the embedded database does not report its prepared statements");
  return stats;
}
