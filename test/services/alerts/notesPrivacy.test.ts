import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { alertAbout, changeSettings, reachedAt } from "./helpers.ts";

/**
 * A resident's check-in note is theirs. Alert DMs carry facts (what kind, how severe, since when),
 * never the note itself: not in the staff channel ever, and not in any delivered message. When the
 * house allows it (`notesInAlertDms`), a counsellor's alert DM has a button that shows the note to
 * that counsellor alone, audited. The notes carry a marker so any leak shows up wherever it lands.
 */

let t: TestApp;
const MARKER = "NOTE-7f3a";
const RESIDENTS = ["sam", "nat", "una"];

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim", { onDuty: true });
  for (const name of RESIDENTS) await addResident(t, name, { keyCounsellor: "jo" });
});
afterAll(async () => {
  await t.close();
});

/** Every delivery to anyone but the resident who wrote the note: DMs, channel posts and edits. */
function leaks(): string[] {
  return t.chat.delivered
    .filter((d) => !(d.kind === "direct" && RESIDENTS.includes(d.to)) && !RESIDENTS.map((r) => `dm-${r}`).includes(d.to))
    .filter((d) => JSON.stringify(d.message).includes(MARKER))
    .map((d) => `${d.kind} to ${d.to}: ${d.message.title ?? ""}`);
}

describe("notes never travel with an alert", () => {
  it("reported use, a high craving and crisis words in notes raise alerts whose DMs and staff posts carry no note", async () => {
    await t.chat.command("sam", "checkin", `used 9 2 no ${MARKER} was at the pub with my cousin after work`);
    await t.chat.command("nat", "checkin", `struggling 6 1 no ${MARKER} I want to end it all`);
    await t.deliver();
    const used = await alertAbout(t, "sam", "reported_use");
    const craving = await alertAbout(t, "sam", "high_craving");
    const crisis = await alertAbout(t, "nat");
    expect(crisis).toMatchObject({ kind: "crisis_words", severity: "critical" });

    // Walk every alert up to the staff channel.
    for (const instant of ["2027-01-04T09:05:00Z", "2027-01-04T09:10:00Z", "2027-01-04T09:15:00Z", "2027-01-04T09:30:00Z"]) {
      await reachedAt(t, instant, used.id);
    }
    const staffPosts = t.chat.delivered.filter((d) => d.kind === "channel" && d.to === "staff");
    expect(staffPosts.map((p) => p.message.title)).toEqual(expect.arrayContaining(["sam needs attention", "URGENT: nat needs attention"]));
    expect(t.chat.dmsTo("jo").find((m) => m.title === "URGENT: nat needs attention")?.fields).toContainEqual({
      label: "Detail",
      value: "Crisis language in a check-in note",
    });
    expect(craving.severity).toBe("medium");
    expect(leaks()).toEqual([]);
  });

  it("acknowledging, the resident summary and resolving show no note either", async () => {
    const crisis = await alertAbout(t, "nat");
    await t.chat.press("jo", `al:ack:${crisis.id}`);
    const summary = await t.chat.press("jo", `al:sum:${crisis.id}`);
    expect(textOf(summary)).toContain("nat: resident summary");
    expect(textOf(summary)).not.toContain(MARKER);
    await t.chat.submit("jo", `alres:${crisis.id}`, { outcome: "Safety plan made with nat" });
    await t.deliver();
    expect(t.chat.delivered.filter((d) => d.kind === "update").length).toBeGreaterThan(0);
    expect(leaks()).toEqual([]);
  });

  it("with notesInAlertDms allowed, the staff channel still never sees a note, and nor does any other DM today", async () => {
    await changeSettings(t, { notesInAlertDms: true });
    t.clock.set("2027-01-04T11:00:00Z");
    await t.chat.command("una", "checkin", `used 9 2 no ${MARKER} relapsed at the station`);
    await t.deliver();
    const alert = await alertAbout(t, "una", "reported_use");
    await reachedAt(t, "2027-01-04T11:15:00Z", alert.id);
    await reachedAt(t, "2027-01-04T11:30:00Z", alert.id);
    const posts = t.chat.delivered.filter((d) => d.kind === "channel" && JSON.stringify(d.message).includes(alert.id));
    expect(posts).toHaveLength(1);
    expect(leaks()).toEqual([]);
    // The counsellor's DM offers the note behind a button; the staff channel copy does not.
    const dm = t.chat.dmsTo("jo").find((m) => JSON.stringify(m).includes(`al:note:${alert.id}`));
    expect(dm).toBeDefined();
    expect(JSON.stringify(posts[0]?.message)).not.toContain("al:note:");
    const read = await t.chat.press("jo", `al:note:${alert.id}`);
    expect(textOf(read)).toContain(MARKER);
    expect(await t.database.prisma.auditLog.count({ where: { action: "resident.note_read" } })).toBe(1);
    const refused = await t.chat.press("una", `al:note:${alert.id}`);
    expect(textOf(refused)).not.toContain(MARKER);
  });

  it("with notesInAlertDms off, the button is not offered and pressing a forged one reveals nothing", async () => {
    await changeSettings(t, { notesInAlertDms: false });
    const alert = await alertAbout(t, "una", "reported_use");
    expect(textOf(await t.chat.press("jo", `al:note:${alert.id}`))).toMatch(/isn't yours to handle/);
  });

  it("notes are stored encrypted, and no outbox row or log line holds one", async () => {
    const notes = await t.database.prisma.checkin.findMany({ where: { noteCipher: { not: null } } });
    expect(notes).toHaveLength(3);
    for (const row of notes) expect(row.noteCipher).not.toContain(MARKER);
    const rows = await t.database.prisma.outbox.findMany();
    expect(rows.filter((row) => JSON.stringify(row.message).includes(MARKER))).toEqual([]);
    expect(t.logs.lines().join("\n")).not.toContain(MARKER);
  });
});
