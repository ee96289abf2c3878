// Prisma CLI configuration. The CLI runs the WebAssembly schema engine through a driver
// adapter, so nothing is downloaded: this works offline and in air-gapped hospitals.
// Prisma's CLI still probes for native engines at start unless these point somewhere real.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= import.meta.filename;
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= import.meta.filename;

import "dotenv/config";
import { defineConfig } from "prisma/config";
import { migrationAdapterFactory } from "./src/db/migrationAdapter.ts";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  engine: "js",
  experimental: { adapter: true },
  adapter: () => migrationAdapterFactory(process.env),
});
