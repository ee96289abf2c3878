import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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

describe("a check-in in the console, start to finish", () => {
  it("a resident agrees, answers with buttons and a note, sees their streak, and a crisis word brings the numbers", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "console-checkin-"));
    const run = await runBot({ DATA_DIR: dir }, [
      "/setup timezone:Europe/London country:gb",
      "/as sam",
      "/checkin",
      "press 1",
      "/sobriety-date 2026-10-01",
      "/checkin",
      "press 1",
      "press 3",
      "press 4",
      "press 1",
      "press 1",
      "a good day overall",
      "/streak",
      "I can't go on",
      "/privacy export",
      "/as owner",
      "/alerts",
      "quit",
    ]);
    const saved = /saved to (\S+my-checkin-data\.json)/.exec(run.stdout)?.[1] ?? "";
    expect(JSON.parse(readFileSync(saved, "utf8")).checkins[0]).toMatchObject({
      feeling: "steady",
      craving: 2,
      mood: 4,
      note: "a good day overall",
    });
    rmSync(dir, { recursive: true, force: true });
    expect(run.code).toBe(0);
    const out = run.stdout;
    const order = [
      "Before we start",
      "Your first check-in comes",
      "days sober",
      "How is today?",
      "How strong is any craving",
      "And your mood today",
      "Did you get to a meeting today?",
      "Anything you'd like to add?",
      "today's check-in is saved",
      "Your progress",
      "Samaritans: 116 123",
      "needs attention",
    ].map((needle) => out.indexOf(needle));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  }, 90_000);
});
