import { parseArgs } from "node:util";
import { DiscordAPIError, REST } from "discord.js";
import dotenv from "dotenv";
import { ConfigError, loadConfig } from "../../config.ts";
import { normaliseApiUrl } from "./discordAdapter.ts";
import { inviteUrl, registerCommands } from "./registration.ts";

/** `npm run discord:register [-- --guild <server id>]`: registers the slash commands and prints the invite link. */

const EXIT_CONFIG = 2;

function fail(lines: string[], code: number): never {
  process.stderr.write(`${lines.join("\n")}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  let guild: string | undefined;
  try {
    guild = parseArgs({ options: { guild: { type: "string" } } }).values.guild;
  } catch (error) {
    fail([(error as Error).message, "Usage: npm run discord:register [-- --guild <server id>]"], EXIT_CONFIG);
  }
  if (guild !== undefined && !/^\d{15,22}$/.test(guild)) {
    fail(["--guild must be a server id: in Discord, right-click the server icon and choose Copy Server ID."], EXIT_CONFIG);
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError)
      fail(["Please fix these settings (in .env or the environment):", ...error.problems.map((p) => `  - ${p}`)], EXIT_CONFIG);
    throw error;
  }
  if (!config.discord) fail(["Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (in .env) first: see README, Connect to Discord."], EXIT_CONFIG);

  const rest = new REST(config.discord.apiUrl ? { api: normaliseApiUrl(config.discord.apiUrl) } : {}).setToken(config.discord.token);
  try {
    const count = await registerCommands(rest, config.discord.applicationId, guild);
    process.stdout.write(
      `${guild ? `Registered ${count} commands in server ${guild}; they can be used there now.` : `Registered ${count} commands for every server the bot is in.`}\n`,
    );
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401)
      fail(["Discord did not accept DISCORD_TOKEN: copy the bot token again from the developer portal."], 1);
    if (error instanceof DiscordAPIError && error.status === 403 && guild)
      fail([`The bot is not in server ${guild} yet: invite it with the link below first.`, inviteUrl(config.discord.applicationId)], 1);
    throw error;
  }
  process.stdout.write(`Invite the bot to a server with:\n${inviteUrl(config.discord.applicationId)}\n`);
}

main().catch((error: unknown) => {
  fail([`Could not register the commands: ${(error as Error).message ?? String(error)}`], 1);
});
