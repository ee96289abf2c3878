import type { Config } from "../config.ts";
import type { ChatAdapter, Logger } from "../core/ports.ts";

/** The chat platforms whose tokens are configured. Each adapter module is loaded only when used. */
export async function platformAdapters(config: Config, logger: Logger): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (config.discord) {
    const { createDiscordAdapter } = await import("./discord/index.ts");
    adapters.push(createDiscordAdapter(config.discord, logger));
  }
  if (config.slack) throw new PlatformUnavailableError("Slack");
  return adapters;
}

export class PlatformUnavailableError extends Error {
  constructor(readonly platform: string) {
    super(`${platform} support is not built into this version yet; unset its tokens to use the console chat`);
  }
}
