import { IANAZone } from "luxon";
import { z } from "zod";

/**
 * One schema over the environment, parsed once at start-up. A bad value stops the bot with a
 * message naming the variable, before anything connects anywhere.
 */

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const httpUrl = (name: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s/]+/.test(v), {
    message: `${name} must be an http(s) URL, like https://discord.com/api`,
  });

/** A positive number of messages per time unit, or the platform's documented default when unset. */
const positiveRate = (fallback: number) =>
  optionalString
    .transform((v) => v ?? String(fallback))
    .refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0, { message: "must be a positive number" })
    .transform(Number);

const schema = z
  .object({
    DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\/[^\s]+$/i.test(v), {
      message: "must be a PostgreSQL URL like postgresql://user:password@host:5432/db, or unset for the embedded database",
    }),
    DATA_DIR: optionalString.transform((v) => v ?? "./data"),
    DISCORD_TOKEN: optionalString,
    DISCORD_APPLICATION_ID: optionalString.refine((v) => v === undefined || /^\d{15,22}$/.test(v), {
      message: "must be the numeric application id from the Discord developer portal",
    }),
    DISCORD_API_URL: httpUrl("DISCORD_API_URL"),
    // Discord's global limit for a bot; large bots can ask Discord for more.
    DISCORD_GLOBAL_REQUESTS_PER_SECOND: positiveRate(50),
    SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith("xoxb-"), {
      message: "must be a bot token starting with xoxb-",
    }),
    SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith("xapp-"), {
      message: "must be an app-level token starting with xapp-",
    }),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_API_URL: httpUrl("SLACK_API_URL"),
    // chat.postMessage: "1 message per second to a specific channel" and "several hundred messages per minute" per workspace.
    SLACK_CHANNEL_MESSAGES_PER_SECOND: positiveRate(1),
    SLACK_WORKSPACE_MESSAGES_PER_MINUTE: positiveRate(300),
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: optionalString,
    SLACK_MODE: optionalString.transform((v) => v ?? "socket").pipe(z.enum(["socket", "http"], { message: "must be socket or http" })),
    PORT: optionalString
      .transform((v) => v ?? "3000")
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, { message: "must be a port number from 1 to 65535" })
      .transform(Number),
    ENCRYPTION_KEY: optionalString.refine((v) => v === undefined || Buffer.from(v, "base64").length === 32, {
      message: "must be 32 random bytes in base64 (try: openssl rand -base64 32)",
    }),
    ENCRYPTION_KEY_PREVIOUS: optionalString.refine(
      (v) => v === undefined || v.split(",").every((k) => Buffer.from(k.trim(), "base64").length === 32),
      { message: "must be old ENCRYPTION_KEY values (32 bytes in base64), separated by commas" },
    ),
    LOG_LEVEL: optionalString
      .transform((v) => v ?? "info")
      .pipe(
        z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
          message: "must be one of fatal, error, warn, info, debug, trace, silent",
        }),
      ),
    DEFAULT_TIMEZONE: optionalString
      .transform((v) => v ?? "Europe/London")
      .refine((v) => IANAZone.isValidZone(v), { message: "must be an IANA time zone like Europe/London or America/New_York" }),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.DISCORD_TOKEN) !== Boolean(env.DISCORD_APPLICATION_ID)) {
      const missing = env.DISCORD_TOKEN ? "DISCORD_APPLICATION_ID" : "DISCORD_TOKEN";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "is needed too: Discord starts only with both DISCORD_TOKEN and DISCORD_APPLICATION_ID",
      });
    }
    if (env.SLACK_MODE === "socket" && Boolean(env.SLACK_BOT_TOKEN) !== Boolean(env.SLACK_APP_TOKEN)) {
      const missing = env.SLACK_BOT_TOKEN ? "SLACK_APP_TOKEN" : "SLACK_BOT_TOKEN";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "is needed too: Slack Socket Mode starts only with both SLACK_BOT_TOKEN and SLACK_APP_TOKEN",
      });
    }
    const oauth = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
    if (oauth.some(Boolean) && !oauth.every(Boolean)) {
      const missing = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"].find((_, i) => !oauth[i]) ?? "SLACK_CLIENT_ID";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message:
          "is needed too: installing into several Slack workspaces needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET",
      });
    }
    if (oauth.every(Boolean) && env.SLACK_MODE !== "http") {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_MODE"],
        message: "must be http to install into several Slack workspaces (SLACK_CLIENT_ID is set)",
      });
    }
    if (env.SLACK_MODE === "http" && !(env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET)) {
      const missing = env.SLACK_BOT_TOKEN ? "SLACK_SIGNING_SECRET" : "SLACK_BOT_TOKEN";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "is needed: SLACK_MODE=http needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET",
      });
    }
  });

export type Env = z.infer<typeof schema>;

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  discord:
    | {
        token: string;
        applicationId: string;
        apiUrl: string | undefined;
        /** Discord's global request limit for this bot (50 unless Discord raised it). */
        globalRequestsPerSecond: number;
      }
    | undefined;
  slack:
    | {
        botToken: string;
        appToken: string | undefined;
        signingSecret: string | undefined;
        apiUrl: string | undefined;
        mode: "socket" | "http";
        /** How fast the outbox posts, to stay inside chat.postMessage's limits; Slack's documented pace when absent. */
        pacing?: SlackPacing;
        /** Many workspaces installing through OAuth (HTTP mode); their tokens are kept encrypted in the database. */
        oauth?: { clientId: string; clientSecret: string; stateSecret: string };
      }
    | undefined;
  port: number;
  encryptionKey: string | undefined;
  /** Keys still accepted for reading during a rotation (`npm run db:rotate-key` re-encrypts). */
  previousEncryptionKeys: string[];
  logLevel: Env["LOG_LEVEL"];
  defaultTimezone: string;
}

export interface SlackPacing {
  channelMessagesPerSecond: number;
  workspaceMessagesPerMinute: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration problem: ${problems.join("; ")}`);
  }
}

/** Parses the environment; throws ConfigError listing every bad variable by name. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
        ? {
            token: e.DISCORD_TOKEN,
            applicationId: e.DISCORD_APPLICATION_ID,
            apiUrl: e.DISCORD_API_URL,
            globalRequestsPerSecond: e.DISCORD_GLOBAL_REQUESTS_PER_SECOND,
          }
        : undefined,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          appToken: e.SLACK_APP_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          apiUrl: e.SLACK_API_URL,
          mode: e.SLACK_MODE,
          pacing: {
            channelMessagesPerSecond: e.SLACK_CHANNEL_MESSAGES_PER_SECOND,
            workspaceMessagesPerMinute: e.SLACK_WORKSPACE_MESSAGES_PER_MINUTE,
          },
          oauth:
            e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
              ? { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET, stateSecret: e.SLACK_STATE_SECRET }
              : undefined,
        }
      : undefined,
    port: e.PORT,
    encryptionKey: e.ENCRYPTION_KEY,
    previousEncryptionKeys: e.ENCRYPTION_KEY_PREVIOUS ? e.ENCRYPTION_KEY_PREVIOUS.split(",").map((k) => k.trim()) : [],
    logLevel: e.LOG_LEVEL,
    defaultTimezone: e.DEFAULT_TIMEZONE,
  });
}
