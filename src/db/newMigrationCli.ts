import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * `npm run db:new-migration -- <name>`: writes a migration for the changes in schema.prisma by
 * letting Prisma diff against a scratch embedded database that holds the existing migrations.
 */
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write("Usage: npm run db:new-migration -- <name_in_snake_case>\n");
  process.exit(2);
}
const scratch = mkdtempSync(path.join(tmpdir(), "migration-scratch-"));
const result = spawnSync("npx", ["prisma", "migrate", "dev", "--create-only", "--name", name], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: "", PRISMA_SCRATCH_DIR: scratch },
});
rmSync(scratch, { recursive: true, force: true });
process.exit(result.status ?? 1);
