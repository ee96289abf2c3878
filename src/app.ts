import { hostname } from "node:os";
import { registry } from "../commands/index.ts";
import type { Config } from "./config.ts";
import { createDispatcher, type Dispatcher } from "./core/dispatch.ts";
import type { ChatAdapter, Clock, Logger } from "./core/ports.ts";
import type { Database } from "./db/client.ts";
import type { TextCipher } from "./db/crypto.ts";
import { createOutboxDispatcher, type OutboxDispatcher } from "./outbox/dispatcher.ts";
import { createScheduler, type Scheduler } from "./scheduler/scheduler.ts";
import { createServices, type Services } from "./services/index.ts";
import { createDirectory } from "./services/members.ts";

export interface App {
  services: Services;
  dispatcher: Dispatcher;
  outbox: OutboxDispatcher;
  scheduler: Scheduler;
  adapters: ChatAdapter[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AppOptions {
  config: Pick<Config, "defaultTimezone">;
  cipher: TextCipher;
  database: Database;
  adapters: ChatAdapter[];
  clock: Clock;
  logger: Logger;
  /** Start node-cron ticks (off in tests, which call scheduler.sweep and outbox.runOnce themselves). */
  timers?: boolean;
  outboxEverySeconds?: number;
}

/** Wires services, dispatcher, outbox and scheduler around the given database and adapters. */
export function createApp(options: AppOptions): App {
  const { database, adapters, clock, logger } = options;
  const deps = { db: database.prisma, clock, logger, defaultTimezone: options.config.defaultTimezone, cipher: options.cipher };
  const services = createServices(deps);
  const dispatcher = createDispatcher({
    registry,
    directory: createDirectory(services.members),
    services,
    clock,
    logger,
  });
  const outbox = createOutboxDispatcher({
    db: database.prisma,
    adapters: Object.fromEntries(adapters.map((a) => [a.platform, a])),
    clock,
    logger,
    workerId: `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    listeners: services.deliveryListeners,
  });
  const scheduler = createScheduler({
    clock,
    logger,
    sweepers: services.sweepers,
    outbox,
    outboxEverySeconds: options.outboxEverySeconds,
  });
  return {
    services,
    dispatcher,
    outbox,
    scheduler,
    adapters,
    async start() {
      for (const adapter of adapters)
        await adapter.start({
          handle: dispatcher.handle,
          formFor: dispatcher.formFor,
          home: services.home.viewFor,
          houseWorkspacesOf: services.members.houseWorkspacesOf,
        });
      if (options.timers !== false) scheduler.start();
    },
    async stop() {
      await scheduler.stop();
      for (const adapter of adapters) await adapter.stop();
    },
  };
}
