import { Writable } from "node:stream";
import type { Logger } from "../../src/core/ports.ts";
import { createLogger } from "../../src/logger.ts";

/** The real pino logger writing into memory, so tests can read what was logged. */
export function captureLogger(level = "debug"): { logger: Logger; lines: () => string[]; entries: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger(level, stream as unknown as Parameters<typeof createLogger>[1]);
  const lines = () => chunks.join("").split("\n").filter(Boolean);
  return { logger, lines, entries: () => lines().map((line) => JSON.parse(line) as Record<string, unknown>) };
}
