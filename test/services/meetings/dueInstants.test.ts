import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";

/**
 * The meetings and digest sweeps only look at what is due, by instants stored on each meeting and
 * house. Whatever those instants are worked out from (a meeting's schedule, the house's settings
 * and zone) must move them when it changes, or a reminder or digest would come late.
 */

let t: TestApp;

beforeAll(async () => {
  // Wednesday 3 March 2027, London (UTC in winter).
  t = await createTestApp({ start: "2027-03-03T06:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addResident(t, "ava");
  await t.chat.command("jo", "meeting-admin", "add Evening group days:wed time:19:00");
  await t.chat.command("ava", "meetings", "subscribe evening-group");
  // Yesterday's check-in, so the morning digest has news to give.
  const ava = await t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: "ava" } });
  const dueAt = new Date("2027-03-02T20:00:00Z");
  await t.database.prisma.checkin.create({
    data: { memberId: ava.id, localDate: "2027-03-02", dueAt, closesAt: new Date("2027-03-03T02:00:00Z"), status: "missed" },
  });
  await t.tick();
});
afterAll(async () => {
  await t.close();
});

const keys = async (prefix: string) =>
  (await t.database.prisma.outbox.findMany({ where: { idempotencyKey: { startsWith: prefix } }, select: { idempotencyKey: true } })).map(
    (row) => row.idempotencyKey,
  );

async function sweepAt(instant: string) {
  t.clock.set(instant);
  await t.app.scheduler.sweep(t.clock.now());
}

describe("instants stored for the sweep follow what they come from", () => {
  it("an earlier digest time brings today's digest forward", async () => {
    expect((await t.database.prisma.house.findFirstOrThrow()).nextDigestAt?.toISOString()).toBe("2027-03-03T08:00:00.000Z");
    await sweepAt("2027-03-03T06:50:00Z");
    await t.chat.command("owner", "settings", "digestTime 07:00");
    await sweepAt("2027-03-03T07:00:00Z");
    expect(await keys("digest:")).toHaveLength(2);
    // And it is not sent again at the old time.
    await sweepAt("2027-03-03T08:00:00Z");
    expect(await keys("digest:")).toHaveLength(2);
  });

  it("a meeting moved earlier in the day is reminded an hour before its new time", async () => {
    await sweepAt("2027-03-03T09:00:00Z");
    await t.chat.command("jo", "meeting-admin", "edit evening-group time:11:00");
    await sweepAt("2027-03-03T10:00:00Z");
    expect(await keys("meeting-reminder:")).toHaveLength(1);
  });

  it("asks whether they went once the meeting has ended, and not again", async () => {
    await sweepAt("2027-03-03T12:00:00Z");
    expect(await keys("meeting-followup:")).toHaveLength(1);
    await sweepAt("2027-03-03T12:01:00Z");
    expect(await keys("meeting-followup:")).toHaveLength(1);
  });

  it("a longer lead time moves next week's reminder earlier", async () => {
    await t.chat.command("owner", "settings", "meetingReminderMinutes 120");
    // Next Wednesday's 11:00 meeting: reminded from 09:00, not 10:00.
    await sweepAt("2027-03-10T09:00:00Z");
    expect(await keys("meeting-reminder:")).toHaveLength(2);
  });
});
