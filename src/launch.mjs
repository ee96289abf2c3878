// `npm start` runs this: `node <flags> src/launch.mjs src/main.ts [args]`. It compiles the bot's
// TypeScript to one JavaScript build (esbuild, the compiler tsx uses, in about a quarter of a
// second) and runs it in this process. Running tsx instead costs the bot about 35 MB for as long as
// it runs: a second JavaScript engine for tsx's loader thread, and tsx itself. The build goes
// to node_modules/.cache/recovery-checkin-bot/<hash of its contents>/, so starts with unchanged
// sources reuse it, processes starting together never write over each other, and an edited
// source is always rebuilt: nothing to remember after a `git pull`.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const cache = join(root, "node_modules", ".cache", "recovery-checkin-bot");

/** A module keeps its own folder in `import.meta.dirname` (migrations are found beside the sources). */
const sourceLocation = {
  name: "source-location",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      const contents = source
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(path)))
        .replaceAll("import.meta.filename", JSON.stringify(path));
      return { contents, loader: "ts" };
    });
  },
};

/** Compiles `entry` (and the chart thread) and returns the folder the build is in. */
async function build(entry) {
  // A dependency of the bot's own (the version tsx uses, so one copy is installed), so `npm start`
  // works after `npm ci --omit=dev` too.
  const esbuild = await import("esbuild");
  const outdir = join(cache, "build");
  const result = await esbuild.build({
    // The chart thread is an entry of its own, found by src/charts/drawing.ts as ./chart-worker.js.
    entryPoints: { [basename(entry, ".ts")]: entry, "chart-worker": join(root, "src/charts/worker.ts") },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    sourcesContent: false,
    outdir,
    write: false,
    logLevel: "error",
    plugins: [sourceLocation],
  });
  await esbuild.stop();

  const hash = createHash("sha256");
  for (const file of result.outputFiles) hash.update(relative(outdir, file.path)).update(file.contents);
  const dir = join(cache, hash.digest("hex").slice(0, 16));
  if (isDirectory(dir)) {
    // In use: prune() keeps it as long as starts keep using it.
    utimesSync(dir, new Date(), new Date());
    return dir;
  }
  const temporary = `${dir}.${process.pid}.tmp`;
  for (const file of result.outputFiles) {
    const target = join(temporary, relative(outdir, file.path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
  try {
    renameSync(temporary, dir);
  } catch {
    // Another process wrote the same build first.
    rmSync(temporary, { recursive: true, force: true });
  }
  prune(dir);
  return dir;
}

function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Builds no start has used for a week go. A week, not at once: a bot still running from an older
 * build loads its chart thread from it when a chart is next drawn.
 */
function prune(keep) {
  const weekAgo = Date.now() - 7 * 24 * 3_600_000;
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    try {
      if (path !== keep && statSync(path).mtimeMs < weekAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // Pruned by another process starting at the same moment.
    }
  }
}

const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg) {
  process.stderr.write("usage: node src/launch.mjs <entry.ts> [args]\n");
  process.exit(2);
}
const entry = resolve(entryArg);
const dir = await build(entry);
// Stack traces name the TypeScript sources, as they did under tsx.
process.setSourceMapsEnabled(true);
// The program sees the arguments it would have had if run directly: `node src/main.ts --house demo`.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(join(dir, `${basename(entry, ".ts")}.js`)).href);
