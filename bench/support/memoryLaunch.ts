import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * How `npm start` runs the bot, read from package.json's start script, `node [flags] <launcher>
 * src/main.ts`: the node flags and the launcher. The memory day runs the same way (its own entry in
 * place of src/main.ts), so its figure is the memory of the process the README tells people to
 * start; the tests that run the bot as a person would start it the same way too.
 */
export interface StartCommand {
  nodeFlags: string[];
  launcher: string;
}

export function parseStartScript(start: string): StartCommand {
  const [program, ...words] = start.split(/\s+/).filter(Boolean);
  const launcherAt = words.findIndex((word) => !word.startsWith("-"));
  const launcher = words[launcherAt];
  if (program !== "node" || !launcher || words[launcherAt + 1] !== "src/main.ts" || words.length !== launcherAt + 2) {
    throw new Error(`package.json's start script is "${start}"; expected "node [flags] <launcher> src/main.ts"`);
  }
  return { nodeFlags: words.slice(0, launcherAt), launcher };
}

/** `npm start` of the repository at `root`. */
export function startCommand(root: string): StartCommand {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  return parseStartScript(pkg.scripts?.start ?? "");
}

/** The arguments for `process.execPath` that run `entry` as `npm start` runs src/main.ts. */
export function startArgs(root: string, entry: string, args: string[], extraNodeFlags: string[] = []): string[] {
  const { nodeFlags, launcher } = startCommand(root);
  return [...nodeFlags, ...extraNodeFlags, launcher, entry, ...args];
}
