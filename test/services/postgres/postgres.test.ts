import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { message } from "../../../src/core/message.ts";
import { openDatabase } from "../../../src/db/client.ts";
import { createOutboxDispatcher } from "../../../src/outbox/dispatcher.ts";
import { enqueue } from "../../../src/outbox/enqueue.ts";
import { createPostgresTestDatabase, skipWithoutPostgres } from "../../support/db.ts";
import { FakeChat } from "../../support/fakeChat.ts";
import { FakeClock } from "../../support/fakeClock.ts";
import { captureLogger } from "../../support/logger.ts";

describe.skipIf(skipWithoutPostgres)("on a real PostgreSQL server", () => {
  let pg: Awaited<ReturnType<typeof createPostgresTestDatabase>>;

  beforeAll(async () => {
    pg = await createPostgresTestDatabase();
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it("the same migrations apply, and a second start finds nothing to do", async () => {
    expect(pg.database.kind).toBe("postgres");
    expect(pg.database.applied.length).toBeGreaterThan(0);
    const again = await openDatabase({ databaseUrl: pg.url, dataDir: "memory://" });
    expect(again.applied).toEqual([]);
    await again.close();
  });

  it("two processes' dispatchers claiming concurrently with SKIP LOCKED deliver every row exactly once", async () => {
    const db = pg.database.prisma;
    const house = await db.house.create({ data: { platform: "discord", workspaceId: "w1", name: "PG house", timezone: "Europe/London" } });
    const members = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.member.create({ data: { houseId: house.id, platformUserId: `u${i}`, displayName: `u${i}`, status: "active" } }),
      ),
    );
    const clock = new FakeClock("2027-01-04T09:00:00Z");
    await enqueue(
      db,
      Array.from({ length: 400 }, (_, i) => ({
        idempotencyKey: `pg:${i}`,
        houseId: house.id,
        lane: "prompt" as const,
        message: message(`row ${i}`),
        targetMemberId: members[i % members.length]?.id,
        notBefore: clock.now(),
      })),
    );
    // A second connection pool stands in for a second bot process.
    const second = await openDatabase({ databaseUrl: pg.url, dataDir: "memory://" });
    const chat = new FakeChat("discord", "w1");
    const { logger } = captureLogger();
    const workers = [pg.database.prisma, second.prisma].map((client, i) =>
      createOutboxDispatcher({ db: client, adapters: { discord: chat }, clock, logger, workerId: `process-${i}`, batchSize: 10 }),
    );
    const drain = async (worker: (typeof workers)[number]) => {
      for (;;) {
        const summary = await worker.runOnce();
        if (summary.claimed === 0) return;
      }
    };
    await Promise.all(workers.map(drain));
    await second.close();
    const texts = chat.delivered.map((d) => d.message.text);
    expect(texts).toHaveLength(400);
    expect(new Set(texts).size).toBe(400);
    const byWorker = await db.outbox.groupBy({ by: ["claimedBy"], _count: { _all: true } });
    expect(byWorker.length).toBe(2);
  });
});
