import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBot } from "../support/runBot.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "console-e2e-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("the console chat, as a new user meets it", () => {
  it("starts on the embedded database, sets up a house, adds a counsellor and keeps it across restarts", async () => {
    const first = await runBot({ DATA_DIR: dataDir }, [
      "/help",
      "/setup timezone:Europe/London country:gb",
      "/as sam",
      "/help",
      "/as owner",
      "/staff add @sam counsellor",
      "quit",
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("You are 'owner'");
    expect(first.stdout).toContain("type /setup to create the house");
    expect(first.stdout).toContain("Welcome to Local house");
    expect(first.stdout).toContain("You are now sam.");
    expect(first.stdout).toContain("sam is now a counsellor.");
    expect(first.stderr).toBe("");

    const second = await runBot({ DATA_DIR: dataDir }, ["/as sam", "/staff add @owner counsellor", "quit"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("/staff is for house admins");
  }, 90_000);

  it("stops with exit code 2 and one clear line when a setting is wrong", async () => {
    const run = await runBot({ DATA_DIR: dataDir, DATABASE_URL: "nonsense" }, []);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("refuses to open the embedded database a second process is using", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path.join(dataDir, "bot.pid"), String(process.pid));
    const run = await runBot({ DATA_DIR: dataDir }, []);
    rmSync(path.join(dataDir, "bot.pid"));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/in use by process/);
  });
});
