import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIGEST_FRAMES } from "../../../src/charts/index.ts";
import { COLOURS } from "../../../src/charts/theme.ts";
import type { Message } from "../../../src/core/message.ts";
import { checkinInstantOn } from "../../../src/domain/checkin/schedule.ts";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { decodePng, ihdrSize, inkOf, PNG_SIGNATURE } from "../../unit/reports/png.ts";
import { AMY, AMY_ATTENDANCE, BO, CY, mean, type SeedCheckin, type SeededHouse, START, seedHouse } from "./helpers.ts";

const isDigest = (m: Message) => / digest · /.test(m.title ?? "");
const fieldsOf = (m: Message) => Object.fromEntries((m.fields ?? []).map((f) => [f.label, f.value]));

function digestsTo(t: TestApp, userId: string): Message[] {
  return t.chat.dmsTo(userId).filter(isDigest);
}

function channelDigests(t: TestApp): Message[] {
  return t.chat.delivered.filter((d) => d.kind === "channel" && isDigest(d.message)).map((d) => d.message);
}

function expectChart(m: Message, frame: { width: number; height: number; scale: number }) {
  const image = m.attachments?.[0];
  expect(image?.contentType).toBe("image/png");
  expect(image?.altText).toMatch(/^Chart of the last 14 days/);
  const png = Buffer.from(image?.base64 ?? "", "base64");
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(ihdrSize(png)).toEqual({ width: frame.width * frame.scale, height: frame.height * frame.scale });
  const ink = inkOf(decodePng(png).rgba, [COLOURS.vermillion, COLOURS.blue]);
  expect(ink.fraction).toBeGreaterThan(0.03);
  expect(ink.distinctColours).toBeGreaterThan(50);
  return ink.exact;
}

describe("the morning digest in a seeded house", () => {
  let t: TestApp;
  let house: SeededHouse;

  beforeAll(async () => {
    t = await createTestApp({ start: START });
    house = await seedHouse(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it("waits for the house's digest time (08:00 local)", async () => {
    t.clock.set("2027-02-10T07:59:00Z");
    await t.tick();
    for (const who of ["owner", "jo", "kim"]) expect(digestsTo(t, who)).toEqual([]);
  });

  it("then DMs it once to each counsellor and admin, with the figures of yesterday and the chart", async () => {
    t.clock.set("2027-02-10T08:00:00Z");
    await t.tick();
    for (const who of ["owner", "jo", "kim"]) expect(digestsTo(t, who)).toHaveLength(1);
    for (const resident of ["amy", "bo", "cy", "dee"]) expect(digestsTo(t, resident)).toEqual([]);
    const digest = digestsTo(t, "jo")[0] as Message;
    expect(digest.title).toBe("Test House digest · Wed 10 Feb");

    // Yesterday is day 1 of each resident's seed; the week is days 1-7 and the week before, days 8-14.
    const answers = (rows: SeedCheckin[], from: number, to: number, pick: (c: SeedCheckin) => number | null) =>
      rows.filter((c) => c.k >= from && c.k <= to && c.status === "answered").map((c) => pick(c) ?? 0);
    const week = (from: number, to: number, pick: (c: SeedCheckin) => number | null) => [
      ...answers(AMY, from, to, pick),
      ...answers(BO, from, to, pick),
      ...answers(CY, from, to, pick),
    ];
    const craving = (c: SeedCheckin) => c.craving;
    const mood = (c: SeedCheckin) => c.mood;
    const amyYesterday = AMY[0] as SeedCheckin;
    expect(digest.text).toContain("Check-ins for Tue 9 Feb: 1 checked in, 1 missed, 1 excused, 1 not due (4 residents)");
    expect(digest.text).toContain("Open alerts: 2 (1 open, 1 acknowledged) · 1 under a day, 1 for 1-3 days, 0 over 3 days");
    const trend = (name: string, pick: (c: SeedCheckin) => number | null, yesterday: number | null) => {
      const last7 = mean(week(1, 7, pick));
      const before = mean(week(8, 14, pick));
      const delta = Math.round((Number(last7) - Number(before)) * 10) / 10;
      const moved = delta === 0 ? "no change" : `${delta > 0 ? "up" : "down"} ${Math.abs(delta).toFixed(1)}`;
      return `House ${name} average: ${yesterday?.toFixed(1)} yesterday · ${last7} over 7 days (${moved} on the week before, ${before})`;
    };
    expect(digest.text).toContain(trend("craving", craving, amyYesterday.craving));
    expect(digest.text).toContain(trend("mood", mood, amyYesterday.mood));
    const wentThisWeek = AMY_ATTENDANCE.filter((a) => a.status === "went" && a.k <= 7).length + 1;
    expect(digest.text).toContain(`Meetings: 1 went yesterday · ${wentThisWeek} in the last 7 days`);
    expect(digest.text).toContain("Pairings: 1 new, 0 ended, 0 ending this week, 0 waiting for approval");
    expect(digest.text).toContain("Milestones this week: 2");
    expect(fieldsOf(digest)).toEqual({
      "Checked in (1)": "amy",
      "Missed (1)": "bo",
      "Excused (1)": "cy",
      "Not due: paused or new (1)": "dee",
      "Open alerts, oldest first": "cy: Missed check-ins · medium · open · 31 h\namy: High craving · medium · acknowledged by jo · 11 h",
      Pairings: "New: amy with bo, until Thu 11 Mar",
      "Milestones this week": "cy: 30 days on Thu 11 Feb\nbo: 90 days on Fri 12 Feb",
    });
    const colours = expectChart(digest, DIGEST_FRAMES.full);
    expect(colours[COLOURS.vermillion.toLowerCase()]).toBeGreaterThan(500);
  });

  it("never sends the same day's digest twice, whatever the ticks", async () => {
    for (const at of ["2027-02-10T08:01:00Z", "2027-02-10T08:01:30Z", "2027-02-10T09:30:00Z"]) {
      t.clock.set(at);
      await t.tick();
    }
    for (const who of ["owner", "jo", "kim"]) expect(digestsTo(t, who)).toHaveLength(1);
    const rows = await t.database.prisma.outbox.findMany({
      where: { idempotencyKey: { startsWith: `digest:${house.houseId}:2027-02-10:` } },
    });
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(
      [house.jo.id, house.kim.id, (await t.app.services.members.byPlatformUser(house.houseId, "owner"))?.id]
        .map((id) => `digest:${house.houseId}:2027-02-10:${id}`)
        .sort(),
    );
    expect(channelDigests(t)).toEqual([]);
  });

  it("posts a counts-only copy to the staff channel when the house turns it on: no names, no answers", async () => {
    await t.chat.command("owner", "settings", "digestToStaffChannel on");
    await t.tick();
    const posted = channelDigests(t);
    expect(posted).toHaveLength(1);
    const copy = posted[0] as Message;
    expect(copy.fields ?? []).toEqual([]);
    const text = textOf([copy]) + (copy.attachments?.[0]?.altText ?? "");
    expect(text).toContain("Check-ins for Tue 9 Feb: 1 checked in, 1 missed, 1 excused, 1 not due (4 residents)");
    for (const word of ["amy", "bo", "cy", "dee", "jo", "kim", "craving", "mood"])
      expect(text).not.toMatch(new RegExp(`\\b${word}\\b`, "i"));
    const colours = expectChart(copy, DIGEST_FRAMES.countsOnly);
    expect(colours[COLOURS.vermillion.toLowerCase()]).toBe(0);
    for (const who of ["owner", "jo", "kim"]) expect(digestsTo(t, who)).toHaveLength(1);
  });

  it("comes again the next morning, once", async () => {
    t.clock.set("2027-02-11T07:59:00Z");
    await t.tick();
    expect(digestsTo(t, "jo")).toHaveLength(1);
    t.clock.set("2027-02-11T08:00:00Z");
    await t.tick();
    t.clock.set("2027-02-11T08:05:00Z");
    await t.tick();
    for (const who of ["owner", "jo", "kim"]) expect(digestsTo(t, who)).toHaveLength(2);
    expect(channelDigests(t)).toHaveLength(2);
    expect(digestsTo(t, "jo")[1]?.title).toBe("Test House digest · Thu 11 Feb");
  });

  it("is skipped when the bot was down for more than 12 hours past the digest time; /report still gives it", async () => {
    t.clock.set("2027-02-12T20:01:00Z");
    await t.tick();
    expect(digestsTo(t, "jo")).toHaveLength(2);
    const answer = await t.chat.command("jo", "report");
    const digest = answer.replies[0] as Message;
    expect(digest.ephemeral).toBe(true);
    expect(digest.title).toBe("Test House digest · Fri 12 Feb");
    expectChart(digest, DIGEST_FRAMES.full);
    const audit = await t.database.prisma.auditLog.findFirstOrThrow({ where: { action: "report.digest_viewed" } });
    expect(audit).toMatchObject({ actorId: house.jo.id, details: { date: "2027-02-12" } });
  });

  it("keeps /report export and /report audit working", async () => {
    const csv = await t.chat.command("jo", "report", "export 7");
    expect(csv.replies[0]?.attachments?.[0]?.contentType).toBe("text/csv");
    expect(textOf(await t.chat.command("owner", "report", "audit"))).toMatch(/jo: report.digest_viewed/);
    expect(textOf(await t.chat.command("amy", "report"))).toMatch(/\/report is for counsellors/);
  });

  it("in regulated mode gives counsellors names and statuses, with no answer values in text or chart", async () => {
    await t.chat.command("owner", "settings", "regulatedMode on");
    const digest = (await t.chat.command("kim", "report")).replies[0] as Message;
    const text = textOf([digest]) + (digest.attachments?.[0]?.altText ?? "");
    expect(text).toContain("Regulated mode");
    for (const hidden of ["craving", "Craving", "mood", "Mood", "High craving", "Reported use", "30 days", "90 days"]) {
      expect(text).not.toContain(hidden);
    }
    const colours = expectChart(digest, DIGEST_FRAMES.countsOnly);
    expect(colours[COLOURS.vermillion.toLowerCase()]).toBe(0);
    await t.chat.command("owner", "settings", "regulatedMode off");
  });
});

describe("the digest time is the house's local time, across a clock change", () => {
  let t: TestApp;
  let amyId: string;

  beforeAll(async () => {
    t = await createTestApp({ start: "2027-03-13T10:00:00Z" });
    await setUpHouse(t, { timezone: "America/New_York", country: "us" });
    await addCounsellor(t, "jo");
    amyId = (await addResident(t, "amy", { time: "20:00" })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  /** A check-in for amy on `localDate`, answered at 20:00 New York time. */
  async function answered(localDate: string) {
    const dueAt = checkinInstantOn(localDate, "20:00", "America/New_York");
    await t.database.prisma.checkin.create({
      data: {
        memberId: amyId,
        localDate,
        dueAt,
        closesAt: new Date(dueAt.getTime() + 6 * 3_600_000),
        answeredAt: dueAt,
        status: "answered",
        feeling: "steady",
        usedToday: false,
        craving: 1,
        mood: 4,
      },
    });
  }

  it("has nothing to say, and says nothing, on the day the house was set up", async () => {
    t.clock.set("2027-03-13T13:00:00Z");
    await t.tick();
    expect(digestsTo(t, "jo")).toHaveLength(0);
    expect(await t.database.prisma.outbox.count({ where: { idempotencyKey: { startsWith: "digest:" } } })).toBe(0);
  });

  it("comes at 08:00 in New York on both sides of the spring-forward night", async () => {
    await answered("2027-03-12");
    await answered("2027-03-13");
    // Saturday 13 March: 08:00 EST is 13:00 UTC.
    t.clock.set("2027-03-13T12:59:00Z");
    await t.tick();
    expect(digestsTo(t, "jo")).toHaveLength(0);
    t.clock.set("2027-03-13T13:00:00Z");
    await t.tick();
    expect(digestsTo(t, "jo")).toHaveLength(1);
    // Sunday 14 March: clocks went forward at 02:00, so 08:00 EDT is 12:00 UTC.
    t.clock.set("2027-03-14T11:59:00Z");
    await t.tick();
    expect(digestsTo(t, "jo")).toHaveLength(1);
    t.clock.set("2027-03-14T12:00:00Z");
    await t.tick();
    expect(digestsTo(t, "jo")).toHaveLength(2);
    expect(digestsTo(t, "jo")[1]?.title).toBe("Test House digest · Sun 14 Mar");
  });
});
