import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Member } from "../../../src/generated/prisma/client.ts";
import { addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";

/**
 * The check-in sweep handles everyone due in a minute as one batch: these are the per-person
 * outcomes a batch must still get exactly right.
 */

let t: TestApp;
const people: Record<string, Member> = {};

beforeAll(async () => {
  // Monday 1 March 2027: 20:00 UTC is 20:00 in London, 15:00 in New York, 01:30 tomorrow in Kolkata, 09:00 tomorrow in Auckland.
  t = await createTestApp({ start: "2027-03-01T12:00:00Z" });
  await setUpHouse(t);
  for (const [name, time, timezone] of [
    ["ava", "20:00", "Europe/London"],
    ["ben", "15:00", "America/New_York"],
    ["cas", "01:30", "Asia/Kolkata"],
    ["dee", "09:00", "Pacific/Auckland"],
    ["eve", "20:00", "Europe/London"],
    ["fay", "20:00", "Europe/London"],
  ] as const) {
    people[name] = await addResident(t, name, { time, timezone });
  }
});
afterAll(async () => {
  await t.close();
});

const id = (name: string) => people[name]?.id ?? "";
const promptKeys = async () =>
  (await t.database.prisma.outbox.findMany({ where: { idempotencyKey: { startsWith: "checkin:" } }, select: { idempotencyKey: true } }))
    .map((row) => row.idempotencyKey)
    .sort();

describe("everyone due in the same minute, in one sweep", () => {
  it("prompts each resident once for their own local date, excuses the one who is away, and leaves a day already started alone", async () => {
    const db = t.database.prisma;
    await db.absence.create({
      data: { memberId: id("eve"), fromDate: "2027-03-01", toDate: "2027-03-01", reason: "x", status: "approved" },
    });
    const dueAt = new Date("2027-03-01T20:00:00Z");
    await db.checkin.create({
      data: { memberId: id("fay"), localDate: "2027-03-01", dueAt, closesAt: new Date("2027-03-02T02:00:00Z"), status: "answered" },
    });
    expect(await db.member.count({ where: { nextCheckinAt: dueAt } })).toBe(6);

    t.clock.set(dueAt);
    await t.app.scheduler.sweep(t.clock.now());

    expect(await promptKeys()).toEqual(
      [
        `checkin:${id("ava")}:2027-03-01`,
        `checkin:${id("ben")}:2027-03-01`,
        `checkin:${id("cas")}:2027-03-02`,
        `checkin:${id("dee")}:2027-03-02`,
      ].sort(),
    );
    const eve = await db.checkin.findUniqueOrThrow({ where: { memberId_localDate: { memberId: id("eve"), localDate: "2027-03-01" } } });
    expect(eve).toMatchObject({ status: "excused", promptedAt: null, remindAt: null });
    const fay = await db.checkin.findMany({ where: { memberId: id("fay") } });
    expect(fay.map((c) => c.status)).toEqual(["answered"]);
    // Every one of them is next due at the same time tomorrow.
    const next = await db.member.findMany({
      where: { id: { in: Object.values(people).map((p) => p.id) } },
      select: { nextCheckinAt: true },
    });
    expect(next.map((m) => m.nextCheckinAt?.toISOString())).toEqual(Array(6).fill("2027-03-02T20:00:00.000Z"));
  });

  it("a second sweep in the same minute, or the next, prompts nobody again", async () => {
    const before = await promptKeys();
    await t.app.scheduler.sweep(t.clock.now());
    t.clock.set("2027-03-01T20:01:00Z");
    await t.app.scheduler.sweep(t.clock.now());
    expect(await promptKeys()).toEqual(before);
  });

  it("two days of one resident closing in the same sweep count the missed run in date order", async () => {
    // The bot was down: ava's and ben's windows of the 1st and the 2nd both close in the first sweep after it.
    const db = t.database.prisma;
    for (const name of ["ava", "ben"]) {
      await db.checkin.create({
        data: {
          memberId: id(name),
          localDate: "2027-03-02",
          dueAt: new Date("2027-03-02T20:00:00Z"),
          closesAt: new Date("2027-03-03T02:00:00Z"),
        },
      });
    }
    await db.member.updateMany({ data: { nextCheckinAt: null } });
    t.clock.set("2027-03-03T03:00:00Z");
    await t.app.scheduler.sweep(t.clock.now());
    const signals = await db.riskSignal.findMany({ where: { kind: "missed_checkin" } });
    const runOf = (name: string, date: string) =>
      (signals.find((s) => s.dedupKey === `missed:${id(name)}:${date}`)?.details as { missedInARow?: number } | undefined)?.missedInARow;
    expect([runOf("ava", "2027-03-01"), runOf("ava", "2027-03-02"), runOf("ben", "2027-03-01"), runOf("ben", "2027-03-02")]).toEqual([
      1, 2, 1, 2,
    ]);
    // cas's and dee's days of the 2nd (prompted on the 1st, UTC) closed too: one miss each.
    expect([runOf("cas", "2027-03-02"), runOf("dee", "2027-03-02")]).toEqual([1, 1]);
    expect(signals).toHaveLength(6);
    // The second miss in a row is an alert, once per resident.
    expect(await db.alert.count({ where: { kind: "missed_checkin" } })).toBe(2);
  });
});

describe("pauses until a date", () => {
  it("end when the resident's own date has passed, ahead of UTC and behind it", async () => {
    const kai = await addResident(t, "kai", { time: "20:00", timezone: "Pacific/Auckland" });
    const hal = await addResident(t, "hal", { time: "20:00", timezone: "Pacific/Honolulu" });
    for (const member of [kai, hal]) await t.app.services.checkins.enrolment.pause(member.id, "2027-03-05");
    const statusOf = async (memberId: string) => (await t.database.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).status;

    // 6 March 00:30 in Auckland, still 5 March in UTC and 01:30 on the 5th in Honolulu.
    t.clock.set("2027-03-05T11:30:00Z");
    await t.app.scheduler.sweep(t.clock.now());
    expect([await statusOf(kai.id), await statusOf(hal.id)]).toEqual(["active", "paused"]);

    // 6 March 00:30 in Honolulu.
    t.clock.set("2027-03-06T10:30:00Z");
    await t.app.scheduler.sweep(t.clock.now());
    expect(await statusOf(hal.id)).toBe("active");
  });
});
