import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../core/ports.ts";

function describe(parts: unknown[]): string {
  return parts
    .map((part) => (typeof part === "string" ? part : part instanceof Error ? part.message : "[object]"))
    .join(" ")
    .slice(0, 500);
}

/**
 * Bolt, its Socket Mode client and its Web API client log through this. Their debug lines carry
 * whole payloads and request bodies (residents' words), so debug never reaches our logs, and
 * objects are never serialised: only strings and error messages pass.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const bound = logger.child({ source: "slack-sdk" });
  return {
    debug() {},
    info: (...parts: unknown[]) => bound.info({}, describe(parts)),
    warn: (...parts: unknown[]) => bound.warn({}, describe(parts)),
    error: (...parts: unknown[]) => bound.error({}, describe(parts)),
    setLevel() {},
    getLevel: () => LogLevel.INFO,
    setName() {},
  };
}
