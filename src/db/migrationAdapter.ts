import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { isPostgresUrl } from "./databaseUrl.ts";
import { openPglite } from "./pglite.ts";

const PG_NAME_OID = 19;
const PG_TEXT_OID = 25;

/**
 * adapter-pg 6.19 cannot deserialise catalog columns of type `name` (Prisma issue 27403),
 * which `prisma migrate` reads on a real PostgreSQL. Reporting them as `text` is exact for
 * our purposes; this pool is only ever used by the migration CLI, never by the bot.
 */
class CatalogFriendlyPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature cannot be restated
  override query(...args: any[]): any {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const result = (super.query as (...a: any[]) => any)(...args);
    if (result && typeof result.then === "function") {
      return result.then((res: pg.QueryResult) => {
        for (const field of res?.fields ?? []) {
          if (field.dataTypeID === PG_NAME_OID) field.dataTypeID = PG_TEXT_OID;
        }
        return res;
      });
    }
    return result;
  }
}

/** The adapter the Prisma CLI uses: PostgreSQL when DATABASE_URL says so, else the embedded PGlite. */
export async function migrationAdapterFactory(env: NodeJS.ProcessEnv) {
  const url = env.DATABASE_URL;
  if (url && isPostgresUrl(url)) {
    return new PrismaPg(new CatalogFriendlyPool({ connectionString: url }));
  }
  const pglite = await openPglite(env.PRISMA_SCRATCH_DIR ?? env.DATA_DIR ?? "./data");
  return new PrismaPGlite(pglite);
}
