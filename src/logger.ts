import pino from "pino";
import type { Logger } from "./core/ports.ts";

/**
 * pino, with the fields that could carry resident text or secrets redacted as a second line of
 * defence: the first is that callers log ids and counts, never text.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ["text", "note", "message", "values", "token", "*.text", "*.note", "*.token", "*.values", "headers.authorization"],
        censor: "[redacted]",
      },
    },
    destination ?? pino.destination(2),
  ) as unknown as Logger;
}
