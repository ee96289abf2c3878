import type { Db } from "./client.ts";
import type { TextCipher } from "./crypto.ts";

/** Every column that holds AES-256-GCM ciphertext rather than plain text. */
export const ENCRYPTED_COLUMNS = [
  { table: "Checkin", column: "noteCipher" },
  { table: "Alert", column: "outcome" },
  { table: "Absence", column: "reason" },
  { table: "SlackInstallation", column: "dataCipher" },
  { table: "Member", column: "dischargeReason" },
  { table: "RoleGrant", column: "reason" },
  { table: "RoleGrant", column: "revokeReason" },
] as const;

/**
 * Re-encrypts every encrypted value with the cipher's current key (reading with any previous
 * key), in batches, so a rotation needs no downtime. Returns how many values were rewritten.
 */
export async function reencryptAll(db: Db, cipher: TextCipher): Promise<number> {
  let rewritten = 0;
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    const rows = await db.$queryRawUnsafe<Array<{ id: string; value: string }>>(
      `SELECT id, "${column}" AS value FROM "${table}" WHERE "${column}" IS NOT NULL`,
    );
    for (const row of rows) {
      const fresh = cipher.encrypt(cipher.decrypt(row.value));
      await db.$executeRawUnsafe(`UPDATE "${table}" SET "${column}" = $1 WHERE id = $2`, fresh, row.id);
      rewritten++;
    }
  }
  return rewritten;
}
