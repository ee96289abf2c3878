import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUMMARY_FRAMES } from "../../../src/charts/index.ts";
import { COLOURS } from "../../../src/charts/theme.ts";
import type { Message } from "../../../src/core/message.ts";
import { addDays, daysBetween } from "../../../src/domain/checkin/schedule.ts";
import { textOf } from "../../support/fakeChat.ts";
import { createTestApp, type TestApp } from "../../support/testApp.ts";
import { decodePng, ihdrSize, inkOf, PNG_SIGNATURE } from "../../unit/reports/png.ts";
import { AMY, AMY_ATTENDANCE, AMY_LAPSE, back, label, mean, type SeededHouse, START, seedHouse, TODAY } from "./helpers.ts";

let t: TestApp;
let house: SeededHouse;

beforeAll(async () => {
  t = await createTestApp({ start: START });
  house = await seedHouse(t);
});
afterAll(async () => {
  await t.close();
});

const fieldsOf = (m: Message) => Object.fromEntries((m.fields ?? []).map((f) => [f.label, f.value]));

function pngOf(m: Message) {
  const image = m.attachments?.[0];
  expect(image?.contentType).toBe("image/png");
  expect(image?.altText?.length ?? 0).toBeGreaterThan(40);
  return Buffer.from(image?.base64 ?? "", "base64");
}

describe("/resident @member", () => {
  it("shows a counsellor the resident's summary, privately, with the figures the data holds", async () => {
    const answer = await t.chat.command("jo", "resident", "@amy");
    expect(answer.replies).toHaveLength(1);
    const summary = answer.replies[0] as Message;
    expect(summary.ephemeral).toBe(true);
    expect(summary.title).toBe("amy: resident summary");

    const answered = AMY.filter((c) => c.status === "answered");
    const cravings = answered.map((c) => c.craving ?? 0);
    const moods = answered.map((c) => c.mood ?? 0);
    // Oldest first, so the first day a value was reached is the one named.
    const oldestFirst = [...answered].sort((a, b) => b.k - a.k);
    const highest = oldestFirst.find((c) => c.craving === Math.max(...cravings));
    const lowest = oldestFirst.find((c) => c.mood === Math.min(...moods));
    const streakStart = back(AMY_LAPSE - 1);
    const daysSober = daysBetween(streakStart, TODAY);
    const total = daysBetween("2026-12-15", back(AMY_LAPSE)) + daysSober;
    const meetingDays = new Set([
      ...AMY_ATTENDANCE.filter((a) => a.status === "went").map((a) => a.k),
      ...answered.filter((c) => c.meeting).map((c) => c.k),
    ]);
    const missed = AMY.filter((c) => c.status === "missed").length;
    const excused = AMY.filter((c) => c.status === "excused").length;

    expect(summary.text).toContain("Taking part: check-in at 20:00 each day");
    expect(summary.text).toContain(
      `Days sober: ${daysSober} (since ${label(streakStart)}) · total sober days: ${total} · lapses: 1, last on ${label(back(AMY_LAPSE))}`,
    );
    expect(summary.text).toContain(
      `Last 28 days (${label(back(27))} to ${label(TODAY)}): ${answered.length} checked in, ${missed} missed, ${excused} excused, 1 with no check-in`,
    );
    expect(summary.text).toContain(
      `Craving: average ${mean(cravings)} · highest ${highest?.craving} on ${label(back(highest?.k ?? 0))} · ${cravings.filter((c) => c >= 8).length} days at or above 8`,
    );
    expect(summary.text).toContain(`Mood: average ${mean(moods)} · lowest ${lowest?.mood} on ${label(back(lowest?.k ?? 0))}`);
    expect(summary.text).toContain(`Reported use: 1 day (${label(back(AMY_LAPSE))})`);
    expect(summary.text).toContain(`Meetings: a meeting on ${meetingDays.size} of 28 days · 3 "went" answers, 1 "could not go"`);
    expect(fieldsOf(summary)).toEqual({
      "Open alerts (1)": "High craving · medium · acknowledged by jo · since Tue 9 Feb, 21:00",
      Buddy: "bo, until Thu 11 Mar",
      "Key counsellor": "jo",
      "Next milestones": `30 days on ${label(addDays(streakStart, 30))} (in ${daysBetween(TODAY, addDays(streakStart, 30))} days); 60 days on ${label(addDays(streakStart, 60))} (in ${daysBetween(TODAY, addDays(streakStart, 60))} days)`,
    });

    const png = pngOf(summary);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(ihdrSize(png)).toEqual({ width: SUMMARY_FRAMES.full.width * 2, height: SUMMARY_FRAMES.full.height * 2 });
    const ink = inkOf(decodePng(png).rgba, [COLOURS.vermillion, COLOURS.blue]);
    expect(ink.fraction).toBeGreaterThan(0.03);
    expect(ink.exact[COLOURS.vermillion.toLowerCase()]).toBeGreaterThan(500);
  });

  it("writes who looked at whose summary, and how, in the audit log", async () => {
    const rows = await t.database.prisma.auditLog.findMany({ where: { action: "resident.summary_viewed" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: house.jo.id, subjectId: house.amy.id, details: { via: "command" } });
  });

  it("answers the alert's Resident summary button with the same summary, audited as read from the alert", async () => {
    const answer = await t.chat.press("kim", `al:sum:${house.alerts.cyMissed}`);
    const summary = answer.replies[0] as Message;
    expect(summary.title).toBe("cy: resident summary");
    expect(summary.ephemeral).toBe(true);
    expect(summary.text).toContain("Last 28 days");
    expect(fieldsOf(summary)["Open alerts (1)"]).toMatch(/^Missed check-ins · medium · open · since/);
    expect(pngOf(summary).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const row = await t.database.prisma.auditLog.findFirstOrThrow({ where: { action: "resident.summary_viewed", subjectId: house.cy.id } });
    expect(row).toMatchObject({ actorId: house.kim.id, details: { via: "alert", alertId: house.alerts.cyMissed } });
  });

  it("is for counsellors only, and says so when it does not know the person", async () => {
    const before = await t.database.prisma.auditLog.count({ where: { action: "resident.summary_viewed" } });
    expect(textOf(await t.chat.command("bo", "resident", "@amy"))).toMatch(/\/resident is for counsellors/);
    expect(textOf(await t.chat.press("bo", `al:sum:${house.alerts.amyCraving}`))).toMatch(/isn't yours|isn't for you/);
    expect(textOf(await t.chat.command("jo", "resident", "@nobody"))).toMatch(/I don't know that resident/);
    expect(textOf(await t.chat.command("jo", "resident", "@kim"))).toMatch(/I don't know that resident/);
    expect(await t.database.prisma.auditLog.count({ where: { action: "resident.summary_viewed" } })).toBe(before);
  });

  it("in regulated mode shows statuses and counts only: no answers, sobriety history or alert reasons, in text or chart", async () => {
    await t.chat.command("owner", "settings", "regulatedMode on");
    const summary = (await t.chat.command("jo", "resident", "@amy")).replies[0] as Message;
    const all = textOf([summary]) + (summary.attachments?.[0]?.altText ?? "");
    expect(all).toContain("checked in, 4 missed, 1 excused");
    expect(all).toContain("Regulated mode");
    for (const hidden of ["Craving", "craving", "Mood", "mood", "sober", "lapse", "Reported use", "High craving", "◆", "milestone"]) {
      expect(all).not.toContain(hidden);
    }
    const png = pngOf(summary);
    expect(ihdrSize(png)).toEqual({ width: SUMMARY_FRAMES.countsOnly.width * 2, height: SUMMARY_FRAMES.countsOnly.height * 2 });
    const ink = inkOf(decodePng(png).rgba, [COLOURS.vermillion, COLOURS.blue]);
    expect(ink.exact[COLOURS.vermillion.toLowerCase()]).toBe(0);
    expect(ink.exact[COLOURS.blue.toLowerCase()]).toBeGreaterThan(100);
    expect(await t.database.prisma.auditLog.count({ where: { action: "resident.summary_viewed", subjectId: house.amy.id } })).toBe(2);
    await t.chat.command("owner", "settings", "regulatedMode off");
  });
});
