import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

/** The embedded database lives in `<dataDir>/pglite`; `memory://` keeps it in memory. */
export async function openPglite(dataDir: string): Promise<PGlite> {
  if (dataDir.startsWith("memory://")) return PGlite.create();
  const dir = path.resolve(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  return PGlite.create(dir);
}
