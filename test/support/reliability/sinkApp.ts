import { type App, createApp } from "../../../src/app.ts";
import type { Reply } from "../../../src/core/command.ts";
import type { Database } from "../../../src/db/client.ts";
import { createTestDatabase } from "../db.ts";
import { FakeClock } from "../fakeClock.ts";
import { captureLogger } from "../logger.ts";
import { testCipher } from "../testApp.ts";
import { inbound } from "./house.ts";
import type { ChatSink } from "./sink.ts";
import { SinkAdapter } from "./sinkAdapter.ts";

export interface SinkApp {
  app: App;
  clock: FakeClock;
  database: Database;
  logs: ReturnType<typeof captureLogger>;
  /** An inbound event from a person, through the real dispatcher; the replies it produced. */
  act(userId: string, body: Parameters<typeof inbound>[1]): Promise<Reply[]>;
  close(): Promise<void>;
}

/** The whole bot in this process on a fresh embedded database, sending to the shared sink over HTTP. */
export async function createSinkApp(sink: ChatSink, start: Date): Promise<SinkApp> {
  const database = await createTestDatabase();
  const clock = new FakeClock(start);
  const logs = captureLogger("info");
  const app = createApp({
    config: { defaultTimezone: "Europe/London" },
    cipher: testCipher,
    database,
    adapters: [new SinkAdapter({ sinkUrl: sink.url, worker: "in-process", timeoutMs: 1000 })],
    clock,
    logger: logs.logger,
    timers: false,
  });
  await app.start();
  return {
    app,
    clock,
    database,
    logs,
    act: (userId, body) => app.dispatcher.dispatch(inbound(userId, body)),
    async close() {
      await app.stop();
      await database.close();
    },
  };
}

/** The text of replies, joined. */
export function replyText(replies: Reply[]): string {
  return replies
    .map((r) => (r.kind === "form" ? `[form ${r.form.title}]` : [r.message.title, r.message.text].filter(Boolean).join("\n")))
    .join("\n---\n");
}
