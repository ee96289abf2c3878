import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";

/**
 * A minute with more residents due than one batch of the sweep holds (it takes 200 at a time):
 * every resident's day must still be prompted, reminded and closed exactly once, and each
 * prompt's buttons must point at that resident's own check-in.
 */

const RESIDENTS = 230;
const DUE = new Date("2027-03-01T20:00:00Z"); // 20:00 in London, the house's default check-in time
const REMIND = new Date("2027-03-01T22:00:00Z");
const CLOSE = new Date("2027-03-02T02:00:00Z");
const DAY = "2027-03-01";

let t: TestApp;
let ids: string[] = [];
const name = (i: number) => `r${String(i).padStart(3, "0")}`;
const idOf = (i: number) => ids[i] as string;
// Residents 0-2 are away that day, 3-4 already answered it, 5 is discharged before the reminder,
// 6-10 answer after the prompt, and 11 is excused after the reminder.
const away = [0, 1, 2];
const answeredBefore = [3, 4];
const discharged = 5;
const answeredAfter = [6, 7, 8, 9, 10];
const excusedLater = 11;
const everyone = Array.from({ length: RESIDENTS }, (_, i) => i);
const prompted = everyone.filter((i) => !away.includes(i) && !answeredBefore.includes(i));

beforeAll(async () => {
  t = await createTestApp({ start: "2027-03-01T12:00:00Z" });
  const house = await setUpHouse(t);
  const db = t.database.prisma;
  await db.member.createMany({
    data: everyone.map((i) => ({
      houseId: house.id,
      platformUserId: name(i),
      displayName: name(i),
      status: "active" as const,
      consentAt: new Date("2027-02-01T12:00:00Z"),
      nextCheckinAt: DUE,
    })),
  });
  const members = await db.member.findMany({ where: { houseId: house.id, platformUserId: { in: everyone.map(name) } } });
  ids = everyone.map((i) => members.find((m) => m.platformUserId === name(i))?.id as string);
  await db.absence.createMany({
    data: away.map((i) => ({ memberId: idOf(i), fromDate: DAY, toDate: DAY, reason: "x", status: "approved" as const })),
  });
  await db.checkin.createMany({
    data: answeredBefore.map((i) => ({
      memberId: idOf(i),
      localDate: DAY,
      dueAt: DUE,
      closesAt: CLOSE,
      status: "answered" as const,
      answeredAt: new Date("2027-03-01T19:00:00Z"),
    })),
  });
});
afterAll(async () => {
  await t.close();
});

const outboxKeys = async (prefix: string) =>
  (await t.database.prisma.outbox.findMany({ where: { idempotencyKey: { startsWith: prefix } }, select: { idempotencyKey: true } }))
    .map((row) => row.idempotencyKey)
    .sort();

const signalKeys = async () =>
  (await t.database.prisma.riskSignal.findMany({ select: { dedupKey: true } })).map((row) => row.dedupKey).sort();

/** One sweep at the instant: it alone must do the whole minute's work. */
async function sweepAt(instant: Date): Promise<void> {
  t.clock.set(instant);
  await t.app.scheduler.sweep(instant);
}

/** Two more sweeps racing at the same instant, as two processes would: they must change nothing. */
async function expectNothingMoreAt(instant: Date): Promise<void> {
  const before = { outbox: await outboxKeys(""), signals: await signalKeys() };
  t.clock.set(instant);
  await Promise.all([t.app.scheduler.sweep(instant), t.app.scheduler.sweep(instant)]);
  expect({ outbox: await outboxKeys(""), signals: await signalKeys() }).toEqual(before);
}

describe("more residents due in one minute than one batch holds", () => {
  it("prompts every resident once, with buttons for their own day, and schedules everyone for tomorrow", async () => {
    await sweepAt(DUE);
    const db = t.database.prisma;
    expect(await outboxKeys("checkin:")).toEqual(prompted.map((i) => `checkin:${idOf(i)}:${DAY}`).sort());

    const checkins = await db.checkin.findMany({ where: { localDate: DAY } });
    expect(checkins).toHaveLength(RESIDENTS);
    const dayOf = new Map(checkins.map((c) => [c.memberId, c]));
    expect(away.map((i) => dayOf.get(idOf(i))?.status)).toEqual(["excused", "excused", "excused"]);
    expect(answeredBefore.map((i) => dayOf.get(idOf(i))?.status)).toEqual(["answered", "answered"]);
    for (const i of prompted) {
      expect(dayOf.get(idOf(i))).toMatchObject({ status: "pending", promptedAt: DUE, remindAt: REMIND, closesAt: CLOSE });
    }
    const prompts = await db.outbox.findMany({ where: { idempotencyKey: { startsWith: "checkin:" } } });
    for (const prompt of prompts) {
      const checkin = dayOf.get(prompt.targetMemberId as string);
      expect(JSON.stringify(prompt.message)).toContain(`ci:f:${checkin?.id}:steady`);
    }

    const next = await db.member.findMany({ where: { id: { in: ids } }, select: { nextCheckinAt: true } });
    expect(new Set(next.map((m) => m.nextCheckinAt?.toISOString()))).toEqual(new Set(["2027-03-02T20:00:00.000Z"]));
    await expectNothingMoreAt(DUE);
  });

  it("reminds each unanswered day of an active resident once", async () => {
    const db = t.database.prisma;
    await db.checkin.updateMany({
      where: { memberId: { in: answeredAfter.map(idOf) }, localDate: DAY },
      data: { status: "answered", answeredAt: new Date("2027-03-01T21:00:00Z"), remindAt: null },
    });
    await db.member.update({ where: { id: idOf(discharged) }, data: { status: "discharged", nextCheckinAt: null } });

    await sweepAt(REMIND);

    const reminded = prompted.filter((i) => i !== discharged && !answeredAfter.includes(i));
    const days = await db.checkin.findMany({ where: { localDate: DAY } });
    const idOfDay = new Map(days.map((c) => [c.memberId, c.id]));
    expect(await outboxKeys("checkin-reminder:")).toEqual(reminded.map((i) => `checkin-reminder:${idOfDay.get(idOf(i))}`).sort());
    expect(days.filter((c) => c.remindAt !== null)).toEqual([]);
    // The discharged resident's day counts as reminded too, with nothing sent.
    expect(days.filter((c) => c.remindedAt !== null)).toHaveLength(reminded.length + 1);
    await expectNothingMoreAt(REMIND);
  });

  it("closes every unanswered day once: missed, or excused when an absence covers it, and one signal per missed day", async () => {
    const db = t.database.prisma;
    await db.absence.create({ data: { memberId: idOf(excusedLater), fromDate: DAY, toDate: DAY, reason: "x", status: "approved" } });

    await sweepAt(CLOSE);

    const statusOf = new Map((await db.checkin.findMany({ where: { localDate: DAY } })).map((c) => [c.memberId, c.status]));
    const missed = prompted.filter((i) => i !== excusedLater && !answeredAfter.includes(i));
    expect(missed.filter((i) => statusOf.get(idOf(i)) !== "missed")).toEqual([]);
    expect([...away, excusedLater].map((i) => statusOf.get(idOf(i)))).toEqual(["excused", "excused", "excused", "excused"]);
    expect([...answeredBefore, ...answeredAfter].every((i) => statusOf.get(idOf(i)) === "answered")).toBe(true);

    // The discharged resident's day is missed, but nobody is alerted about someone who has left.
    const signals = await db.riskSignal.findMany({ where: { kind: "missed_checkin" } });
    expect(signals.map((s) => s.dedupKey).sort()).toEqual(
      missed
        .filter((i) => i !== discharged)
        .map((i) => `missed:${idOf(i)}:${DAY}`)
        .sort(),
    );
    expect(signals.every((s) => s.consumedAt !== null && (s.details as { missedInARow?: number }).missedInARow === 1)).toBe(true);
    await expectNothingMoreAt(CLOSE);
  });
});
