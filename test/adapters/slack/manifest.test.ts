import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { registry } from "../../../commands/index.ts";
import { BOT_EVENTS, BOT_SCOPES, buildManifest, ManifestError, usageHint } from "../../../src/adapters/slack/manifest.ts";
import { usageLine } from "../../../src/core/commandText.ts";
import { describeOptions } from "../../../src/core/options.ts";

const root = path.resolve(import.meta.dirname, "../../..");

describe("the Slack app manifest comes from the command registry", () => {
  const manifest = buildManifest(registry.commands);

  it("lists every command, with its description and the usage line's options as the hint", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(registry.commands.map((c) => `/${c.name}`));
    const setup = manifest.features.slash_commands.find((c) => c.command === "/setup");
    const definition = registry.commands.find((c) => c.name === "setup");
    if (!setup || !definition) throw new Error("no /setup");
    expect(setup.description).toBe(definition.description);
    expect(`/setup ${setup.usage_hint}`).toBe(usageLine("setup", describeOptions(definition.options)));
    expect(manifest.features.slash_commands.find((c) => c.command === "/help")?.usage_hint).toBeUndefined();
  });

  it("asks Slack to escape mentions and channels, so options arrive as ids", () => {
    expect(manifest.features.slash_commands.every((c) => c.should_escape)).toBe(true);
  });

  it("asks for the least it needs: these scopes and two events", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.oauth_config.scopes.bot).not.toContain("chat:write.public");
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
  });

  it("turns on the Home tab and a Messages tab residents can type in, and interactivity", () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]+$/);
  });

  it("is for Socket Mode by default: no request URLs anywhere", () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(manifest)).not.toMatch(/request_url|"url"|redirect_urls/);
  });

  it("with an HTTPS base URL, every request goes to Bolt's /slack/events and OAuth comes back to /slack/oauth_redirect", () => {
    const http = buildManifest(registry.commands, { httpUrl: "https://bot.oak.example/", name: "Oak House check-in" });
    expect(http.display_information.name).toBe("Oak House check-in");
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.settings.event_subscriptions.request_url).toBe("https://bot.oak.example/slack/events");
    expect(http.settings.interactivity.request_url).toBe("https://bot.oak.example/slack/events");
    expect(http.features.slash_commands.every((c) => c.url === "https://bot.oak.example/slack/events")).toBe(true);
    expect(http.oauth_config.redirect_urls).toEqual(["https://bot.oak.example/slack/oauth_redirect"]);
  });

  it("refuses what Slack would refuse: plain http, long names, command names Slack cannot have", () => {
    expect(() => buildManifest(registry.commands, { httpUrl: "http://bot.example" })).toThrow(ManifestError);
    expect(() => buildManifest(registry.commands, { name: "x".repeat(36) })).toThrow(ManifestError);
    const bad = { name: "Check In", description: "d", options: z.object({}) };
    expect(() => buildManifest([bad])).toThrow(/cannot be a Slack command/);
  });

  it("keeps usage hints within Slack's limit", () => {
    for (const command of registry.commands) expect((usageHint(command) ?? "").length).toBeLessThanOrEqual(1000);
  });
});

describe("npm run slack:manifest", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/adapters/slack/manifestCli.ts", ...args], { cwd: root, encoding: "utf8" });

  it("prints the manifest as JSON to paste into Slack, and a usage line with exit code 2 on a bad URL", () => {
    const printed = run("--http", "https://bot.oak.example");
    expect(printed.status).toBe(0);
    const manifest = JSON.parse(printed.stdout) as ReturnType<typeof buildManifest>;
    expect(manifest.settings.event_subscriptions.request_url).toBe("https://bot.oak.example/slack/events");

    const refused = run("--http", "http://insecure.example");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/https:\/\/.*\nUsage: npm run slack:manifest/s);
  });
});
