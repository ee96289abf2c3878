import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { runBot } from "../support/runBot.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(tmpdir(), "demo-e2e-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function runDemo(args: string[]) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/demo/demoCli.ts", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: dataDir },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { ...run, seconds: (Date.now() - started) / 1000 };
}

describe("npm run demo: a week in a demo house", () => {
  it("plays every step of the week in order, beside a real house it never touches", async () => {
    const real = await runBot({ DATA_DIR: dataDir }, ["/setup timezone:Europe/London country:gb", "/as kim", "/help", "quit"]);
    expect(real.code).toBe(0);

    const demo = runDemo(["--speed", "max", "--days", "7", "--yes"]);
    console.log(`[demo] a 7-day demo at full speed took ${demo.seconds.toFixed(1)} s`);
    expect(demo.status).toBe(0);
    const out = demo.stdout;
    const steps = [
      "At 20:00 each resident gets the daily check-in",
      "today's check-in is saved",
      "A gentle reminder: today's check-in is still open",
      "A nudge from the house bot",
      "Ben is having a hard day",
      "ben needs attention",
      "Acknowledged by sam",
      "Resolved by sam",
      "Meeting reminder",
      "Did you go?",
      'ava: [presses "I went"]',
      "A milestone: 30 days today",
      "Every morning Sam gets the house digest by DM",
      "sam: /report",
      "That was a week in the demo house",
    ];
    const positions = steps.map((step) => out.indexOf(step));
    expect(steps.filter((_, i) => (positions[i] ?? -1) < 0)).toEqual([]);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Dee opted in, so the house channel celebrates the milestone too (and says nothing else about Dee).
    expect(out.indexOf("bot → #house:")).toBeGreaterThan(out.indexOf('ava: [presses "I went"]'));
    expect(out).toContain("dee reaches 30 days today. Congratulations.");
    // The digest itself, as /report sends it after the narrator introduces it.
    expect(out.slice(out.indexOf("sam: /report"))).toMatch(/Demo House digest/);

    // The real house is exactly as it was: one house, its two people, no check-ins.
    const database = await openDatabase({ dataDir });
    const houses = await database.prisma.house.findMany({ include: { members: true } });
    expect(houses.map((h) => [h.name, h.members.map((m) => m.platformUserId).sort()])).toEqual([["Local house", ["kim", "owner"]]]);
    expect(await database.prisma.checkin.count()).toBe(0);
    await database.close();
  }, 180_000);

  it("keeps an existing demo house unless told to reset it, and then opens it with npm start -- --house demo", async () => {
    const kept = runDemo(["--speed", "max", "--days", "1"]);
    expect(kept.status).toBe(0);
    expect(kept.stdout).toMatch(/Keeping the existing demo house/);
    const visit = await runBot({ DATA_DIR: dataDir }, ["/alerts", "/as ava", "/streak", "quit"], 60_000, ["--house", "demo"]);
    expect(visit.code).toBe(0);
    expect(visit.stdout).toContain("the demo house");
    expect(visit.stdout).toContain("No open alerts");
    expect(visit.stdout).toContain("Your progress");
  }, 120_000);
});
