import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addResident, runUntil } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ start: "2027-03-01T12:00:00Z" });
  await setUpHouse(t);
});
afterAll(async () => {
  await t.close();
});

/** Answers every prompt a resident gets, at once, so the days stay quiet. */
async function answerPrompts(now: Date) {
  for (const delivery of t.chat.delivered.splice(0)) {
    const feeling = delivery.message.buttons?.flat().find((b) => b.actionId.startsWith("ci:f:") && b.actionId.endsWith(":steady"));
    if (delivery.kind === "direct" && feeling && delivery.message.title === "Daily check-in") {
      await t.chat.press(delivery.to, feeling.actionId);
      prompts.push({ to: delivery.to, at: now });
    }
  }
}
const prompts: Array<{ to: string; at: Date }> = [];

describe("one check-in per local day, at the resident's own local time, across the 2027 clock changes", () => {
  it("London and New York residents are each prompted once a day through both spring and autumn changes", async () => {
    await addResident(t, "lena", { time: "20:00", timezone: "Europe/London" });
    await addResident(t, "nate", { time: "08:30", timezone: "America/New_York" });
    await addResident(t, "gwen", { time: "01:30", timezone: "Europe/London" });
    await runUntil(t, "2027-04-05T00:00:00Z", answerPrompts);
    t.clock.set("2027-10-20T12:00:00Z");
    // Move every resident's next due instant past the summer we are skipping.
    for (const member of await t.database.prisma.member.findMany({ where: { nextCheckinAt: { not: null } } })) {
      await t.app.services.checkins.enrolment.setSchedule(member.id, {});
    }
    await runUntil(t, "2027-11-12T00:00:00Z", answerPrompts);

    const rows = await t.database.prisma.checkin.findMany({ include: { member: true }, orderBy: { dueAt: "asc" } });
    for (const [name, zone, time] of [
      ["lena", "Europe/London", "20:00"],
      ["nate", "America/New_York", "08:30"],
    ] as const) {
      const mine = rows.filter((r) => r.member.platformUserId === name);
      const dates = mine.map((r) => r.localDate);
      expect(new Set(dates).size).toBe(dates.length);
      for (const row of mine) {
        expect(DateTime.fromJSDate(row.dueAt, { zone }).toFormat("HH:mm")).toBe(time);
        expect(DateTime.fromJSDate(row.dueAt, { zone }).toISODate()).toBe(row.localDate);
      }
      // No day skipped in either stretch.
      expect(dates).toContain("2027-03-14");
      expect(dates).toContain("2027-03-28");
      expect(dates).toContain("2027-10-31");
      expect(dates).toContain("2027-11-07");
      expect(prompts.filter((p) => p.to === name)).toHaveLength(mine.length);
    }
    const lenaSpring = rows.filter((r) => r.member.platformUserId === "lena" && r.localDate >= "2027-03-02" && r.localDate <= "2027-04-04");
    expect(lenaSpring).toHaveLength(34);
  }, 120_000);

  it("a time inside the spring-forward gap fires at the first valid instant; inside the autumn overlap it fires once", async () => {
    const gwen = await t.database.prisma.checkin.findMany({ where: { member: { platformUserId: "gwen" } }, orderBy: { localDate: "asc" } });
    const springGap = gwen.find((r) => r.localDate === "2027-03-28");
    expect(springGap?.dueAt.toISOString()).toBe("2027-03-28T01:00:00.000Z");
    const overlap = gwen.filter((r) => r.localDate === "2027-10-31");
    expect(overlap).toHaveLength(1);
    expect(overlap[0]?.dueAt.toISOString()).toBe("2027-10-31T00:30:00.000Z");
  });

  it("two sweeps racing at the same instant prompt nobody twice", async () => {
    const member = await addResident(t, "rory", { time: "19:00", timezone: "Europe/London" });
    const due = await t.database.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    t.clock.set(due.nextCheckinAt ?? new Date());
    t.chat.delivered.length = 0;
    await Promise.all([
      t.app.scheduler.sweep(t.clock.now()),
      t.app.scheduler.sweep(t.clock.now()),
      t.app.services.checkins.sweep.promptDue(t.clock.now()),
    ]);
    await t.deliver();
    expect(t.chat.dmsTo("rory").filter((m) => m.title === "Daily check-in")).toHaveLength(1);
    expect(await t.database.prisma.checkin.count({ where: { memberId: member.id } })).toBe(1);
    expect(await t.database.prisma.outbox.count({ where: { idempotencyKey: { startsWith: `checkin:${member.id}:` } } })).toBe(1);
  });

  it("after the bot was down for days, missed windows are skipped rather than prompted late", async () => {
    const before = await t.database.prisma.checkin.count({ where: { member: { platformUserId: "rory" } } });
    t.clock.advance(3 * 24 * 3600_000 + 7 * 3600_000);
    t.chat.delivered.length = 0;
    await t.tick();
    await t.tick();
    expect(t.chat.dmsTo("rory").filter((m) => m.title === "Daily check-in").length).toBeLessThanOrEqual(1);
    const after = await t.database.prisma.checkin.count({ where: { member: { platformUserId: "rory" } } });
    expect(after - before).toBeLessThanOrEqual(1);
  });
});

describe("time zones from the platform", () => {
  it("a Slack user's zone is followed until they choose their own with /schedule", async () => {
    await t.chat.command("tess", "help", "", { timezone: "Asia/Kolkata" });
    const house = await t.app.services.houses.findByWorkspace("discord", "workspace-1");
    const first = await t.app.services.members.byPlatformUser(house?.id ?? "", "tess");
    expect(first?.timezone).toBe("Asia/Kolkata");
    await t.chat.command("tess", "help", "", { timezone: "Australia/Sydney" });
    expect((await t.app.services.members.byPlatformUser(house?.id ?? "", "tess"))?.timezone).toBe("Australia/Sydney");
    await t.chat.press("tess", "consent:agree");
    await t.chat.command("tess", "schedule", "timezone:Europe/Paris", { timezone: "Australia/Sydney" });
    await t.chat.command("tess", "help", "", { timezone: "Australia/Sydney" });
    expect((await t.app.services.members.byPlatformUser(house?.id ?? "", "tess"))?.timezone).toBe("Europe/Paris");
  });
});
