import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registry } from "../../commands/index.ts";
import { DeliveryError } from "../../src/core/ports.ts";
import { type Answered, textOf } from "../support/fakeChat.ts";
import { report } from "../support/reliability/checks.ts";
import { addCounsellor, addResident } from "../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../support/testApp.ts";

type Who = "resident" | "senior peer" | "counsellor" | "admin";
const EVERYONE: Who[] = ["resident", "senior peer", "counsellor", "admin"];
const RESIDENTS: Who[] = ["resident", "senior peer"];
const STAFF: Who[] = ["counsellor", "admin"];

/**
 * Who may run each command: the house's policy, written down. A command that is not listed fails
 * the test, so adding a command means deciding here who may use it. Each runs with no options
 * (refused before anything else, or asked for its options), except where a harmless `PROBES`
 * input is needed to reach a finer check inside the command.
 */
const COMMANDS: Record<string, Who[]> = {
  help: EVERYONE,
  setup: EVERYONE, // open so the first person can create the house; changing it afterwards is refused inside
  checkin: RESIDENTS,
  streak: RESIDENTS,
  schedule: RESIDENTS,
  pause: RESIDENTS,
  resume: RESIDENTS,
  "sobriety-date": RESIDENTS,
  celebrate: RESIDENTS,
  away: RESIDENTS,
  sos: RESIDENTS,
  buddy: RESIDENTS,
  "buddy-consent": RESIDENTS,
  privacy: EVERYONE,
  meetings: EVERYONE,
  excuse: STAFF,
  alerts: STAFF,
  oncall: ["senior peer", "counsellor", "admin"],
  resident: STAFF,
  report: STAFF,
  discharge: STAFF,
  intake: STAFF,
  pair: STAFF,
  unpair: STAFF,
  "peer-role": STAFF,
  attendance: STAFF,
  "meeting-admin": STAFF,
  settings: ["admin"],
  staff: ["admin"],
  deliveries: ["admin"],
};

const PROBES: Record<string, string> = { oncall: "on" };

/** Buttons and forms, by the first segment of their id. */
const ACTIONS: Record<string, Who[]> = {
  ci: RESIDENTS,
  consent: EVERYONE,
  abs: STAFF,
  al: EVERYONE, // residents only where they were asked to look in, checked inside
  sos: RESIDENTS,
  priv: RESIDENTS,
  mtg: EVERYONE,
  bud: RESIDENTS,
  bp: STAFF,
};
const FORMS: Record<string, Who[]> = {
  cinote: RESIDENTS,
  alres: STAFF,
  mtgimport: STAFF,
};

const refused = (answered: Answered, name: string) => textOf(answered).includes(`/${name} is for `);
const buttonRefused = (answered: Answered) => /That (button|form) isn't for you\./.test(textOf(answered));

describe("who may do what", () => {
  let t: TestApp;
  const people: Record<Who, string> = { resident: "rita", "senior peer": "sam", counsellor: "cora", admin: "owner" };
  const ids: Record<string, string> = {};
  const id = (key: string) => ids[key] ?? "";

  beforeAll(async () => {
    t = await createTestApp({ start: "2027-03-01T17:00:00Z" });
    await setUpHouse(t);
    ids.cora = (await addCounsellor(t, "cora", { onDuty: true })).id;
    ids.rita = (await addResident(t, "rita", { time: "18:00", keyCounsellor: "cora" })).id;
    ids.sam = (await addResident(t, "sam", { time: "18:00", keyCounsellor: "cora" })).id;
    ids.ben = (await addResident(t, "ben", { time: "18:00", keyCounsellor: "cora" })).id;
    await t.chat.command("cora", "peer-role", "@sam senior_peer trusted and close to completing");
    await t.database.prisma.member.update({ where: { id: ids.sam }, data: { peerRole: "senior_peer", onDuty: true } });
    t.clock.set("2027-03-01T18:00:00Z");
    await t.tick();
    const db = t.database.prisma;
    ids.benCheckin = (await db.checkin.findFirstOrThrow({ where: { memberId: ids.ben } })).id;
    await t.chat.press("ben", `ci:f:${ids.benCheckin}:struggling`);
    await t.chat.press("ben", `ci:c:${ids.benCheckin}:3`);
    await t.chat.command("ben", "away", "2027-03-10 2027-03-11 court date");
    ids.benAbsence = (await db.absence.findFirstOrThrow({ where: { memberId: ids.ben } })).id;
    await t.chat.command("ben", "sos");
    await t.chat.press("ben", "sos:confirm");
    ids.benAlert = (await db.alert.findFirstOrThrow({ where: { subjectId: ids.ben } })).id;
    await t.deliver();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("every registered command is in the policy above", () => {
    const unlisted = registry.commands.map((c) => c.name).filter((name) => !(name in COMMANDS));
    expect(unlisted, "add these commands to COMMANDS with the roles that may run them").toEqual([]);
    const actions = registry.actions.map((a) => a.prefix).filter((prefix) => !(prefix in ACTIONS));
    expect(actions, "add these button prefixes to ACTIONS").toEqual([]);
    const forms = registry.forms.map((f) => f.prefix).filter((prefix) => !(prefix in FORMS));
    expect(forms, "add these form prefixes to FORMS").toEqual([]);
  });

  it("runs every command as a resident, a senior peer, a counsellor and an admin: allowed exactly where the policy says", async () => {
    const matrix: string[] = [];
    let checked = 0;
    for (const command of registry.commands) {
      const allowed = COMMANDS[command.name] ?? [];
      const row: string[] = [];
      for (const who of EVERYONE) {
        const answered = await t.chat.command(people[who], command.name, PROBES[command.name] ?? "");
        const wasRefused = refused(answered, command.name);
        expect(wasRefused, `/${command.name} as ${who}`).toBe(!allowed.includes(who));
        // Allowed or not, the person is told something.
        expect(textOf(answered).trim().length + answered.forms.length, `/${command.name} as ${who} got no answer`).toBeGreaterThan(0);
        row.push(wasRefused ? "-" : "✓");
        checked++;
      }
      matrix.push(`${command.name.padEnd(16)} ${row.join(" ")}`);
    }
    for (const [prefix, allowed] of Object.entries(ACTIONS)) {
      for (const who of EVERYONE) {
        const answered = await t.chat.press(people[who], `${prefix}:probe:nothing`);
        expect(buttonRefused(answered), `button ${prefix}: as ${who}`).toBe(!allowed.includes(who));
        checked++;
      }
    }
    for (const [prefix, allowed] of Object.entries(FORMS)) {
      for (const who of EVERYONE) {
        const answered = await t.chat.submit(people[who], `${prefix}:nothing`, { note: "x", outcome: "x", url: "x" });
        expect(buttonRefused(answered), `form ${prefix}: as ${who}`).toBe(!allowed.includes(who));
        checked++;
      }
    }
    console.log(`${"".padEnd(16)} R P C A  (resident, senior peer, counsellor, admin)\n${matrix.join("\n")}`);
    report("authorisation matrix", {
      commands: registry.commands.length,
      buttons: Object.keys(ACTIONS).length,
      forms: Object.keys(FORMS).length,
      checked,
    });
  });

  it("a resident can neither read nor change another resident's check-in, alert or absence, whatever ids they forge", async () => {
    const db = t.database.prisma;
    const snapshot = async () => ({
      checkin: await db.checkin.findUniqueOrThrow({ where: { id: ids.benCheckin } }),
      alert: await db.alert.findUniqueOrThrow({ where: { id: ids.benAlert } }),
      absence: await db.absence.findUniqueOrThrow({ where: { id: ids.benAbsence } }),
      sobriety: await db.sobrietyEvent.findMany({ where: { memberId: ids.ben } }),
      member: await db.member.findUniqueOrThrow({ where: { id: ids.ben } }),
    });
    const before = await snapshot();
    const attempts: Array<[string, () => Promise<Answered>, RegExp]> = [
      ["answer ben's check-in", () => t.chat.press("rita", `ci:f:${ids.benCheckin}:used`), /isn't yours/],
      ["set ben's craving", () => t.chat.press("rita", `ci:c:${ids.benCheckin}:10`), /isn't yours/],
      ["set ben's mood", () => t.chat.press("rita", `ci:m:${ids.benCheckin}:1`), /isn't yours/],
      ["set ben's meeting", () => t.chat.press("rita", `ci:g:${ids.benCheckin}:no`), /isn't yours/],
      ["see ben's progress", () => t.chat.press("rita", `ci:d:${ids.benCheckin}`), /isn't yours/],
      ["add a note to ben's check-in", () => t.chat.submit("rita", `cinote:${ids.benCheckin}`, { note: "I used today" }), /isn't yours/],
      ["acknowledge ben's alert", () => t.chat.press("rita", `al:ack:${ids.benAlert}`), /isn't yours to handle/],
      ["read ben's summary", () => t.chat.press("rita", `al:sum:${ids.benAlert}`), /isn't yours to handle/],
      ["read ben's note", () => t.chat.press("rita", `al:note:${ids.benAlert}`), /isn't yours to handle/],
      ["resolve ben's alert", () => t.chat.submit("rita", `alres:${ids.benAlert}`, { outcome: "fine" }), /isn't for you/],
      [
        "a senior peer acknowledging an alert they were not asked about",
        () => t.chat.press("sam", `al:ack:${ids.benAlert}`),
        /isn't yours to handle/,
      ],
      ["a senior peer reading the summary", () => t.chat.press("sam", `al:sum:${ids.benAlert}`), /isn't yours to handle/],
      ["approve ben's absence", () => t.chat.press("rita", `abs:approve:${ids.benAbsence}`), /isn't for you/],
      ["decline ben's absence", () => t.chat.press("rita", `abs:decline:${ids.benAbsence}`), /isn't for you/],
      ["excuse ben", () => t.chat.command("rita", "excuse", "@ben 2027-03-01 2027-03-02 nothing"), /is for counsellors/],
      ["change ben's schedule", () => t.chat.command("rita", "schedule", "user:@ben 03:00"), /didn't understand|didn't work/],
    ];
    for (const [what, attempt, expected] of attempts) {
      const answered = await attempt();
      expect(textOf(answered), what).toMatch(expected);
    }
    // Her own export holds her data and nobody else's.
    const exported = await t.chat.command("rita", "privacy", "export");
    const file = exported.replies[0]?.attachments?.[0];
    const json = Buffer.from(file?.base64 ?? "", "base64").toString("utf8");
    expect(json).toContain('"displayName": "rita"');
    for (const other of [ids.ben, ids.benCheckin, ids.benAlert, ids.benAbsence, ids.sam]) expect(json).not.toContain(other);
    // Erasing her own data erases only hers.
    await t.chat.press("rita", "priv:delete");
    expect(await snapshot()).toEqual(before);
  });

  it("a senior peer asked to look in may acknowledge that alert, but not resolve it or read the resident's answers", async () => {
    // The bot cannot DM ben any more: a low alert, which goes first to on-duty senior peers.
    t.chat.failSends(
      (to) => to === "ben",
      () => new DeliveryError("Cannot send messages to this user", { permanent: true, unreachable: true }),
    );
    await t.app.services.checkins.enrolment.sendWelcome(id("ben"));
    await t.deliver();
    const low = await t.database.prisma.alert.findFirstOrThrow({ where: { subjectId: ids.ben, kind: "unreachable" } });
    expect(low.severity).toBe("low");
    const nudge = t.chat.dmsTo("sam").find((m) => m.buttons?.flat().some((b) => b.actionId === `al:ack:${low.id}`));
    expect(nudge, "the senior peer was asked to look in").toBeDefined();
    expect(textOf(await t.chat.press("rita", `al:ack:${low.id}`))).toMatch(/isn't yours to handle/);
    expect(textOf(await t.chat.press("sam", `al:sum:${low.id}`))).toMatch(/isn't yours to handle/);
    expect(textOf(await t.chat.submit("sam", `alres:${low.id}`, { outcome: "done" }))).toMatch(/isn't for you/);
    await t.chat.press("sam", `al:ack:${low.id}`);
    const acknowledged = await t.database.prisma.alert.findUniqueOrThrow({ where: { id: low.id } });
    expect(acknowledged.state).toBe("acknowledged");
    expect(acknowledged.acknowledgedById).toBe(ids.sam);
  });
});
