import type { Clock, Logger } from "../core/ports.ts";
import type { Db } from "../db/client.ts";
import type { TextCipher } from "../db/crypto.ts";

/** What every service is built from: the database, the clock and a logger. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  defaultTimezone: string;
  /** Encrypts notes and other free text before they reach the database. */
  cipher: TextCipher;
}

/** A Prisma client or an interactive transaction: services write domain state and outbox rows through one. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
