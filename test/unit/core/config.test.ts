import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.ts";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration from the environment", () => {
  it("with nothing set, runs the console chat on the embedded database with sensible defaults", () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe("./data");
    expect(config.discord).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.defaultTimezone).toBe("Europe/London");
    expect(config.port).toBe(3000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("treats empty values as unset, as a copied .env.example leaves them", () => {
    expect(loadConfig({ DATABASE_URL: "", DISCORD_TOKEN: "  " }).discord).toBeUndefined();
  });

  it("names the variable and the fix for a malformed database URL", () => {
    expect(problemsOf({ DATABASE_URL: "nonsense" })).toEqual([expect.stringMatching(/^DATABASE_URL must be a PostgreSQL URL/)]);
  });

  it("refuses an unknown time zone", () => {
    expect(problemsOf({ DEFAULT_TIMEZONE: "Mars/Olympus" })).toEqual([
      expect.stringMatching(/^DEFAULT_TIMEZONE must be an IANA time zone/),
    ]);
  });

  it("refuses half a platform's tokens, naming the missing one", () => {
    expect(problemsOf({ DISCORD_TOKEN: "abc" })).toEqual([expect.stringMatching(/^DISCORD_APPLICATION_ID is needed too/)]);
    expect(problemsOf({ SLACK_APP_TOKEN: "xapp-1" })).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN is needed too/)]);
    expect(problemsOf({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_MODE: "http" })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET is needed/),
    ]);
  });

  it("installing into many Slack workspaces needs all three OAuth settings and HTTP mode", () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_MODE: "http", SLACK_CLIENT_ID: "1.2" })).toEqual([
      expect.stringMatching(/^SLACK_CLIENT_SECRET is needed too/),
    ]);
    expect(
      problemsOf({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_APP_TOKEN: "xapp-1",
        SLACK_CLIENT_ID: "1.2",
        SLACK_CLIENT_SECRET: "c",
        SLACK_STATE_SECRET: "s",
      }),
    ).toEqual([expect.stringMatching(/^SLACK_MODE must be http/)]);
    const config = loadConfig({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      SLACK_MODE: "http",
      SLACK_CLIENT_ID: "1.2",
      SLACK_CLIENT_SECRET: "c",
      SLACK_STATE_SECRET: "st",
    });
    expect(config.slack?.oauth).toEqual({ clientId: "1.2", clientSecret: "c", stateSecret: "st" });
  });

  it("lists every problem at once rather than one per restart", () => {
    const problems = problemsOf({ PORT: "99999", LOG_LEVEL: "loud", ENCRYPTION_KEY: "short", DISCORD_API_URL: "ftp://x" });
    expect(problems.map((p) => p.split(" ")[0]).sort()).toEqual(["DISCORD_API_URL", "ENCRYPTION_KEY", "LOG_LEVEL", "PORT"]);
  });

  it("starts both platforms when both have their tokens", () => {
    const config = loadConfig({
      DISCORD_TOKEN: "token",
      DISCORD_APPLICATION_ID: "123456789012345678",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_APP_TOKEN: "xapp-1",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/bot",
    });
    expect(config.discord?.applicationId).toBe("123456789012345678");
    expect(config.slack?.mode).toBe("socket");
    expect(config.databaseUrl).toBe("postgresql://postgres@127.0.0.1:5432/bot");
  });

  it("paces sends to the platforms' published limits unless told otherwise", () => {
    const tokens = {
      DISCORD_TOKEN: "token",
      DISCORD_APPLICATION_ID: "123456789012345678",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_APP_TOKEN: "xapp-1",
    };
    const defaults = loadConfig(tokens);
    expect(defaults.discord?.globalRequestsPerSecond).toBe(50);
    expect(defaults.slack?.pacing).toEqual({ channelMessagesPerSecond: 1, workspaceMessagesPerMinute: 300 });
    const raised = loadConfig({
      ...tokens,
      DISCORD_GLOBAL_REQUESTS_PER_SECOND: "500",
      SLACK_CHANNEL_MESSAGES_PER_SECOND: "0.5",
      SLACK_WORKSPACE_MESSAGES_PER_MINUTE: "600",
    });
    expect(raised.discord?.globalRequestsPerSecond).toBe(500);
    expect(raised.slack?.pacing).toEqual({ channelMessagesPerSecond: 0.5, workspaceMessagesPerMinute: 600 });
  });

  it("refuses a pace that is not a positive number", () => {
    expect(problemsOf({ DISCORD_GLOBAL_REQUESTS_PER_SECOND: "0", SLACK_WORKSPACE_MESSAGES_PER_MINUTE: "lots" })).toEqual([
      "DISCORD_GLOBAL_REQUESTS_PER_SECOND must be a positive number",
      "SLACK_WORKSPACE_MESSAGES_PER_MINUTE must be a positive number",
    ]);
  });
});
