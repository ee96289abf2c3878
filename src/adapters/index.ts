import type { Config } from "../config.ts";
import type { ChatAdapter, Logger } from "../core/ports.ts";
import type { Db } from "../db/client.ts";
import type { TextCipher } from "../db/crypto.ts";

/** The chat platforms whose tokens are configured. Each adapter module is loaded only when used. */
export async function platformAdapters(config: Config, logger: Logger, storage: { db: Db; cipher: TextCipher }): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (config.discord) {
    const { createDiscordAdapter } = await import("./discord/index.ts");
    adapters.push(createDiscordAdapter(config.discord, logger));
  }
  if (config.slack) {
    const { createSlackAdapter, PrismaInstallationStore } = await import("./slack/index.ts");
    const oauth = config.slack.oauth
      ? { ...config.slack.oauth, installationStore: new PrismaInstallationStore(storage.db, storage.cipher) }
      : undefined;
    adapters.push(createSlackAdapter(config.slack, logger, { port: config.port, oauth }));
  }
  return adapters;
}
