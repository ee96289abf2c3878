import { DiscordAdapter } from "../../../src/adapters/discord/discordAdapter.ts";
import { type App, createApp } from "../../../src/app.ts";
import type { Registry } from "../../../src/core/command.ts";
import { createDispatcher, type Dispatcher } from "../../../src/core/dispatch.ts";
import type { InboundHandlers } from "../../../src/core/ports.ts";
import type { Database } from "../../../src/db/client.ts";
import type { Services } from "../../../src/services/index.ts";
import { createDirectory } from "../../../src/services/members.ts";
import { createTestDatabase } from "../db.ts";
import { FakeClock } from "../fakeClock.ts";
import { captureLogger } from "../logger.ts";
import { testCipher } from "../testApp.ts";
import { DiscordDouble, type DoubleGuild, type DoubleUser } from "./server.ts";

/** Oak House's Discord server: its owner, an administrator, and residents. Ids are Discord-shaped. */
export const OAK = {
  guildId: "310000000000000001",
  staffChannel: "320000000000000001",
  houseChannel: "320000000000000002",
  owner: "330000000000000001",
  admin: "330000000000000002",
  sam: "330000000000000003",
  jo: "330000000000000004",
  /** A resident whose display name tries to ping the whole server. */
  pinger: "330000000000000005",
} as const;

export function oakHouseGuild(): DoubleGuild {
  return {
    id: OAK.guildId,
    name: "Oak House",
    ownerId: OAK.owner,
    admins: [OAK.admin],
    members: [
      { id: OAK.owner, username: "olive", globalName: "Olive" },
      { id: OAK.admin, username: "ade", globalName: "Ade" },
      { id: OAK.sam, username: "sam", globalName: "Sam" },
      { id: OAK.jo, username: "jo", globalName: "Jo" },
      { id: OAK.pinger, username: "pinger", globalName: "@everyone <@330000000000000001>" },
    ],
    channels: [
      { id: OAK.staffChannel, name: "staff" },
      { id: OAK.houseChannel, name: "house" },
    ],
  };
}

export interface DiscordHouse {
  double: DiscordDouble;
  adapter: DiscordAdapter;
  app: App;
  database: Database;
  clock: FakeClock;
  logs: ReturnType<typeof captureLogger>;
  /** Resolves once the bot has finished handling the event with this Discord id (interaction or message). */
  handled(eventId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole bot on a fresh database, connected through the real DiscordAdapter to a local
 * Discord double, with a fake clock and no timers. The adapter is started with the app's
 * dispatcher exactly as `app.start()` does, wrapped so tests can wait for an event to finish;
 * `registry` swaps in extra buttons and forms for flows the bot does not have yet.
 */
export async function startDiscordHouse(
  options: { guilds?: DoubleGuild[]; strangers?: DoubleUser[]; registry?: Registry<Services> } = {},
): Promise<DiscordHouse> {
  const double = await DiscordDouble.start({ guilds: options.guilds ?? [oakHouseGuild()], strangers: options.strangers });
  const database = await createTestDatabase();
  const clock = new FakeClock("2027-01-04T09:00:00Z");
  const logs = captureLogger();
  const adapter = new DiscordAdapter({ token: double.token, apiUrl: double.apiUrl, logger: logs.logger });
  const app = createApp({
    config: { defaultTimezone: "Europe/London" },
    cipher: testCipher,
    database,
    adapters: [adapter],
    clock,
    logger: logs.logger,
    timers: false,
  });
  const dispatcher: Dispatcher = options.registry
    ? createDispatcher({
        registry: options.registry,
        directory: createDirectory(app.services.members),
        services: app.services,
        clock,
        logger: logs.logger,
      })
    : app.dispatcher;

  const waiting = new Map<string, () => void>();
  const finished = new Set<string>();
  const handlers: InboundHandlers = {
    formFor: dispatcher.formFor,
    houseWorkspacesOf: app.services.members.houseWorkspacesOf,
    async handle(event, responder) {
      try {
        await dispatcher.handle(event, responder);
      } finally {
        finished.add(event.eventId);
        waiting.get(event.eventId)?.();
      }
    },
  };
  await adapter.start(handlers);

  return {
    double,
    adapter,
    app,
    database,
    clock,
    logs,
    handled(eventId) {
      if (finished.has(eventId)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`event ${eventId} was not handled within 5 s`)), 5_000);
        waiting.set(eventId, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    async close() {
      await app.stop();
      await double.close();
      await database.close();
    },
  };
}
