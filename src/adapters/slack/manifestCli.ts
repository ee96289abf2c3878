import { parseArgs } from "node:util";
import { registry } from "../../../commands/index.ts";
import { buildManifest, ManifestError } from "./manifest.ts";

/**
 * `npm run slack:manifest` prints a Socket Mode manifest; `-- --http https://bot.example.org`
 * prints one for HTTP mode with that base URL; `--name "Oak House check-in"` names the app.
 */
const usage = 'Usage: npm run slack:manifest [-- --http https://your.host] [--name "Oak House check-in"]\n';

let values: { http?: string; name?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { http: { type: "string" }, name: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  }));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
try {
  const manifest = buildManifest(registry.commands, { httpUrl: values.http, name: values.name });
  process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
} catch (error) {
  if (!(error instanceof ManifestError)) throw error;
  process.stderr.write(`${error.message}\n${usage}`);
  process.exit(2);
}
