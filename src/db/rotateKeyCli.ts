import dotenv from "dotenv";
import { ConfigError, loadConfig } from "../config.ts";
import { openDatabase } from "./client.ts";
import { createTextCipher, resolveEncryptionKey } from "./crypto.ts";
import { reencryptAll } from "./encryptedColumns.ts";

/**
 * `npm run db:rotate-key`: after setting a new ENCRYPTION_KEY and moving the old one to
 * ENCRYPTION_KEY_PREVIOUS, rewrites every encrypted value with the new key. Run it with the bot
 * stopped on the embedded database; on PostgreSQL it can run beside the bot.
 */
dotenv.config({ quiet: true });
try {
  const config = loadConfig(process.env);
  if (config.previousEncryptionKeys.length === 0) {
    process.stderr.write("Set ENCRYPTION_KEY to the new key and ENCRYPTION_KEY_PREVIOUS to the old one, then run this again.\n");
    process.exit(2);
  }
  const { key } = resolveEncryptionKey(config.encryptionKey, config.dataDir);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const count = await reencryptAll(database.prisma, createTextCipher(key, config.previousEncryptionKeys));
  await database.close();
  process.stdout.write(`Re-encrypted ${count} values with the new key. You can now remove ENCRYPTION_KEY_PREVIOUS.\n`);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`Please fix these settings:\n${error.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exit(2);
  }
  process.stderr.write(`Key rotation stopped: ${(error as Error).message}\n`);
  process.exit(1);
}
