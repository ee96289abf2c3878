import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export class DataDirBusyError extends Error {}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The embedded database allows one process. A second `npm start` on the same DATA_DIR would
 * corrupt it, so refuse clearly; a lock left by a crashed process (kill -9) is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, "bot.pid");
  try {
    const holder = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
    if (holder !== process.pid && Number.isInteger(holder) && processIsAlive(holder)) {
      throw new DataDirBusyError(
        `the embedded database in ${dataDir} is in use by process ${holder}; stop it first, or set DATABASE_URL to a PostgreSQL server to run several processes`,
      );
    }
  } catch (error) {
    if (error instanceof DataDirBusyError) throw error;
  }
  writeFileSync(lockPath, String(process.pid));
  return () => rmSync(lockPath, { force: true });
}
