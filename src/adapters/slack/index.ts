import type { Config } from "../../config.ts";
import type { Logger } from "../../core/ports.ts";
import { SlackAdapter, type SlackAdapterOptions } from "./slackAdapter.ts";

export { PrismaInstallationStore } from "./installationStore.ts";
export { buildManifest } from "./manifest.ts";
export { SlackAdapter, type SlackAdapterOptions, type SlackOAuthOptions } from "./slackAdapter.ts";

/** The Slack connection for the configured tokens; nothing connects until start(). */
export function createSlackAdapter(config: NonNullable<Config["slack"]>, logger: Logger, options?: SlackAdapterOptions): SlackAdapter {
  return new SlackAdapter(config, logger.child({ platform: "slack" }), options);
}
