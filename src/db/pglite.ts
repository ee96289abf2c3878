import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";

/**
 * PostgreSQL's own page cache, inside PGlite's WebAssembly memory. Left at PostgreSQL's 128 MB,
 * it fills as a day's work touches pages and WebAssembly memory never shrinks, so the bot would
 * settle far above the 400 MB it is allowed. A file-backed database is read through the operating
 * system's page cache anyway, which costs the process no resident memory.
 */
export const PGLITE_SHARED_BUFFERS = "16MB";

/**
 * The embedded database lives in `<dataDir>/pglite`; `memory://` keeps it in memory. PGlite is
 * loaded here, on first use, so a bot on PostgreSQL never carries its code (about 40 MB).
 */
export async function openPglite(dataDir: string): Promise<PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  const startParams = [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`];
  if (dataDir.startsWith("memory://")) return PGlite.create({ startParams });
  const dir = path.resolve(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  return PGlite.create(dir, { startParams });
}
