import { type App, createApp } from "../../src/app.ts";
import type { Database } from "../../src/db/client.ts";
import { createTextCipher } from "../../src/db/crypto.ts";
import { createTestDatabase } from "./db.ts";

/** A fixed key so tests can decrypt what the bot stored. */
export const testCipher = createTextCipher(Buffer.alloc(32, 7).toString("base64"));

import { FakeChat } from "./fakeChat.ts";
import { FakeClock } from "./fakeClock.ts";
import { captureLogger } from "./logger.ts";

export interface TestApp {
  app: App;
  chat: FakeChat;
  clock: FakeClock;
  database: Database;
  logs: ReturnType<typeof captureLogger>;
  /** Runs the outbox until nothing is due at the current fake time. */
  deliver(): Promise<void>;
  /** Runs the minute sweep at the current fake time, then delivers. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** The whole bot on a fresh database, a fake clock and a fake chat, with no timers running. */
export async function createTestApp(
  options: { start?: string; platform?: FakeChat["platform"]; database?: Database } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const clock = new FakeClock(options.start ?? "2027-01-04T09:00:00Z");
  const chat = new FakeChat(options.platform ?? "discord");
  const logs = captureLogger();
  const app = createApp({
    config: { defaultTimezone: "Europe/London" },
    cipher: testCipher,
    database,
    adapters: [chat],
    clock,
    logger: logs.logger,
    timers: false,
  });
  await app.start();
  const deliver = async () => {
    for (let i = 0; i < 100; i++) {
      const summary = await app.outbox.runOnce();
      if (summary.claimed === 0) return;
    }
  };
  return {
    app,
    chat,
    clock,
    database,
    logs,
    deliver,
    async tick() {
      await app.scheduler.sweep(clock.now());
      await deliver();
    },
    async close() {
      await app.stop();
      await database.close();
    },
  };
}

/** Creates a house whose admin is `owner`, as the first /setup would. */
export async function setUpHouse(t: TestApp, options: { timezone?: string; country?: string } = {}) {
  const parts = [
    `timezone:${options.timezone ?? "Europe/London"}`,
    `country:${options.country ?? "gb"}`,
    "staff-channel:staff",
    "house-channel:house",
  ];
  await t.chat.command("owner", "setup", parts.join(" "), { isWorkspaceAdmin: true });
  const house = await t.app.services.houses.findByWorkspace(t.chat.platform, t.chat.workspaceId);
  if (!house) throw new Error("setup did not create the house");
  return house;
}
