import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseStartScript, startArgs, startCommand } from "../../bench/support/memoryLaunch.ts";

/**
 * The memory figure is only worth something if it is the memory of the process the README tells
 * people to start. The memory day therefore runs as `npm start` runs the bot: the same node flags
 * and the same launcher, its own entry in place of src/main.ts.
 */

const root = path.resolve(import.meta.dirname, "../..");

describe("running something as npm start runs the bot", () => {
  it("reads the node flags and the launcher from package.json's start script", () => {
    const { nodeFlags, launcher } = startCommand(root);
    expect(launcher).toMatch(/\.m?js$/);
    expect(nodeFlags.every((flag) => flag.startsWith("--"))).toBe(true);
  });

  it("puts the day in place of src/main.ts, with the flags the bench needs after npm start's own", () => {
    expect(parseStartScript("node --max-semi-space-size=2 src/launch.mjs src/main.ts")).toEqual({
      nodeFlags: ["--max-semi-space-size=2"],
      launcher: "src/launch.mjs",
    });
    const { nodeFlags, launcher } = startCommand(root);
    expect(startArgs(root, "bench/support/memoryDay.ts", ["postgres", "day"], ["--expose-gc"])).toEqual([
      ...nodeFlags,
      "--expose-gc",
      launcher,
      "bench/support/memoryDay.ts",
      "postgres",
      "day",
    ]);
  });

  it("refuses a start script it cannot follow, rather than measure some other process", () => {
    for (const script of [
      "tsx src/main.ts",
      "node src/launch.mjs",
      "node src/launch.mjs src/main.ts --house demo",
      "FOO=1 node src/main.ts",
    ]) {
      expect(() => parseStartScript(script)).toThrow(/expected "node \[flags\] <launcher> src\/main.ts"/);
    }
  });
});
