import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registry } from "../../../commands/index.ts";
import { BOT_PERMISSIONS, inviteUrl } from "../../../src/adapters/discord/registration.ts";
import { OAK, oakHouseGuild } from "../../support/discordDouble/house.ts";
import { DiscordDouble } from "../../support/discordDouble/index.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const tsx = pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href;
const cli = path.join(root, "src/adapters/discord/registerCli.ts");
// An empty working directory, so a developer's own .env (real tokens) is never read here.
const cwd = mkdtempSync(path.join(tmpdir(), "discord-register-"));
let double: DiscordDouble;

beforeAll(async () => {
  double = await DiscordDouble.start({ guilds: [oakHouseGuild()] });
});
afterAll(async () => {
  await double.close();
});

function register(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", tsx, cli, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run discord:register", () => {
  it("registers the commands in one server and prints the invite link", async () => {
    const run = await register(["--guild", OAK.guildId], {
      DISCORD_TOKEN: double.token,
      DISCORD_APPLICATION_ID: double.applicationId,
      DISCORD_API_URL: double.apiUrl,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Registered ${registry.commands.length} commands in server ${OAK.guildId}`);
    expect(run.stdout).toContain(inviteUrl(double.applicationId));
    const [put] = double.callsTo("PUT /applications/:app/guilds/:guild/commands");
    expect(put?.authorization).toBe(`Bot ${double.token}`);
    expect((put?.body as Array<{ name: string }>).map((c) => c.name)).toEqual(registry.commands.map((c) => c.name));
  });

  it("stops with a clear message when the tokens are missing", async () => {
    const run = await register([], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Set DISCORD_TOKEN and DISCORD_APPLICATION_ID");
  });
});

describe("the invite link", () => {
  it("asks for the bot and its commands, with only the permissions a check-in bot needs", () => {
    const url = new URL(inviteUrl("123456789012345678"));
    expect(url.searchParams.get("scope")).toBe("bot applications.commands");
    expect(BigInt(url.searchParams.get("permissions") ?? "0")).toBe(BOT_PERMISSIONS);
    expect(BOT_PERMISSIONS & PermissionFlagsBits.Administrator).toBe(0n);
    expect(BOT_PERMISSIONS).toBe(
      PermissionFlagsBits.ViewChannel |
        PermissionFlagsBits.SendMessages |
        PermissionFlagsBits.EmbedLinks |
        PermissionFlagsBits.AttachFiles |
        PermissionFlagsBits.ReadMessageHistory,
    );
  });
});
