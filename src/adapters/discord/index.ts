import type { Config } from "../../config.ts";
import type { Logger } from "../../core/ports.ts";
import { DiscordAdapter } from "./discordAdapter.ts";

export { DiscordAdapter, type DiscordAdapterOptions } from "./discordAdapter.ts";

export function createDiscordAdapter(config: NonNullable<Config["discord"]>, logger: Logger): DiscordAdapter {
  return new DiscordAdapter({
    token: config.token,
    apiUrl: config.apiUrl,
    globalRequestsPerSecond: config.globalRequestsPerSecond,
    logger,
  });
}
