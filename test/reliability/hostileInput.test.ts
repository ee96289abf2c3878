import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registry } from "../../commands/index.ts";
import type { Actor } from "../../src/core/events.ts";
import { textOf } from "../support/fakeChat.ts";
import { report } from "../support/reliability/checks.ts";
import { type HostileBody, hostileBody, NASTY, replyProblem, toEvent } from "../support/reliability/hostile.ts";
import { addCounsellor, addResident } from "../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../support/testApp.ts";

const RESIDENT_EVENTS = Number(process.env.FUZZ_N ?? 8_000);
const STAFF_EVENTS = Number(process.env.FUZZ_S ?? 2_000);

/**
 * Ten thousand random and adversarial events through the real dispatcher: most from residents,
 * people who never agreed to anything, strangers and bots (who must not be able to touch anyone
 * else), the rest from staff (who may change things, but must never break anything).
 */
describe("hostile input through the dispatcher", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  /** Everything about the people no fuzzing resident may touch: ben (a resident), kim, the owner and the house. */
  async function othersSnapshot() {
    const db = t.database.prisma;
    const members = [ids.ben, ids.kim, ids.owner].filter((x): x is string => !!x);
    return {
      members: await db.member.findMany({
        where: { id: { in: members } },
        orderBy: { id: "asc" },
        select: {
          id: true,
          role: true,
          peerRole: true,
          status: true,
          checkinTime: true,
          timezone: true,
          sobrietyDate: true,
          consentAt: true,
          keyCounsellorId: true,
          onDuty: true,
          pausedUntil: true,
          nextCheckinAt: true,
          celebrateInHouse: true,
          reachable: true,
        },
      }),
      checkins: await db.checkin.findMany({ where: { memberId: { in: members } }, orderBy: { id: "asc" } }),
      absences: await db.absence.findMany({ where: { memberId: { in: members } }, orderBy: { id: "asc" } }),
      alerts: await db.alert.findMany({ where: { subjectId: { in: members } }, orderBy: { id: "asc" } }),
      sobriety: await db.sobrietyEvent.findMany({ where: { memberId: { in: members } }, orderBy: { id: "asc" } }),
      pairings: await db.buddyPairing.findMany({ orderBy: { id: "asc" } }),
      house: await db.house.findMany(),
    };
  }

  async function consistencyProblems(): Promise<string[]> {
    const db = t.database.prisma;
    const problems: string[] = [];
    const withoutConsent = await db.checkin.count({ where: { member: { consentAt: null } } });
    if (withoutConsent) problems.push(`${withoutConsent} check-ins for members who never agreed`);
    const promoted = (await db.auditLog.findMany({ where: { action: "member.role_changed" } })).map((a) => a.subjectId);
    const staffAlerts = await db.alert.count({
      where: { subject: { role: { not: "resident" } }, subjectId: { notIn: promoted.filter((x): x is string => !!x) } },
    });
    if (staffAlerts) problems.push(`${staffAlerts} alerts about someone who is not a resident`);
    const botMembers = await db.member.count({ where: { isBot: true } });
    if (botMembers) problems.push(`${botMembers} bots recorded as members`);
    const prompts = await db.outbox.groupBy({
      by: ["idempotencyKey"],
      _count: { _all: true },
      having: { idempotencyKey: { _count: { gt: 1 } } },
    });
    if (prompts.length) problems.push("duplicate outbox keys");
    const openTwice = await db.alert.groupBy({
      by: ["subjectId", "kind"],
      where: { state: { not: "resolved" } },
      _count: { _all: true },
      having: { subjectId: { _count: { gt: 1 } } },
    });
    if (openTwice.length) problems.push("two unresolved alerts of one kind for one person");
    return problems;
  }

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    t = await createTestApp({ start: "2027-03-01T17:00:00Z" });
    await setUpHouse(t);
    ids.kim = (await addCounsellor(t, "kim", { onDuty: true })).id;
    ids.ana = (await addResident(t, "ana", { time: "18:00", keyCounsellor: "kim" })).id;
    ids.ben = (await addResident(t, "ben", { time: "18:00", keyCounsellor: "kim" })).id;
    ids.sue = (await addResident(t, "sue", { time: "18:00", keyCounsellor: "kim" })).id;
    await t.database.prisma.member.update({ where: { id: ids.sue }, data: { peerRole: "senior_peer", onDuty: true } });
    await t.chat.command("cat", "help"); // known to the bot, never agreed
    const house = await t.app.services.houses.findByWorkspace(t.chat.platform, t.chat.workspaceId);
    ids.owner = (await t.app.services.members.byPlatformUser(house?.id ?? "", "owner"))?.id ?? "";
    ids.cat = (await t.app.services.members.byPlatformUser(house?.id ?? "", "cat"))?.id ?? "";
    // Everyone has a check-in open; ben also has an alert, an absence request and a sobriety date.
    t.clock.set("2027-03-01T18:00:00Z");
    await t.tick();
    await t.chat.command("ben", "sobriety-date", "2027-01-15");
    await t.chat.command("ben", "away", "2027-03-10 2027-03-11 court date");
    await t.chat.command("ben", "sos");
    await t.chat.press("ben", "sos:confirm");
    await t.chat.command("ana", "away", "2027-03-12 2027-03-12 day pass");
    await t.deliver();
    const db = t.database.prisma;
    for (const checkin of await db.checkin.findMany()) ids[`checkin-${checkin.memberId}`] = checkin.id;
    for (const alert of await db.alert.findMany()) ids[`alert-${alert.id}`] = alert.id;
    for (const absence of await db.absence.findMany()) ids[`absence-${absence.id}`] = absence.id;
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await t?.close();
  });

  async function fuzz(actors: Actor[], count: number, seed: number) {
    const prefixes = [...new Set([...registry.actions.map((a) => a.prefix), ...registry.forms.map((f) => f.prefix)])];
    const everyId = [...Object.values(ids), "ben", "kim", "owner", "@ben", "<@ben>"];
    const body = hostileBody({ prefixes, formPrefixes: registry.forms.map((f) => f.prefix), ids: everyId });
    const samples = fc.sample(fc.tuple(fc.constantFrom(...actors), body), { numRuns: count, seed });
    const problems: Array<{ problem: string; actor: string; body: string }> = [];
    const shortly = (hostile: HostileBody) => JSON.stringify(hostile).slice(0, 160);
    const tally = { events: 0, replies: 0, silent: 0, forms: 0, viaHandle: 0 };
    for (const [index, [actor, hostile]] of samples.entries()) {
      const event = toEvent(actor, hostile);
      const input = JSON.stringify(hostile);
      tally.events++;
      // Some go the whole way an adapter calls (forms opened before the database), the rest straight to dispatch.
      if (index % 5 === 0) {
        tally.viaHandle++;
        const answered = await t.chat.send(event).catch((error: unknown) => {
          problems.push({ problem: `handle threw: ${(error as Error).message}`, actor: actor.userId, body: shortly(hostile) });
          return null;
        });
        if (answered) {
          tally.forms += answered.forms.length;
          tally.replies += answered.replies.length + answered.updates.length;
          if (answered.replies.length + answered.updates.length + answered.forms.length === 0) tally.silent++;
          for (const m of [...answered.replies, ...answered.updates]) {
            const problem = replyProblem({ kind: "reply", message: m }, input);
            if (problem) problems.push({ problem, actor: actor.userId, body: shortly(hostile) });
          }
        }
        continue;
      }
      const replies = await t.app.dispatcher.dispatch(event);
      if (replies.length === 0) tally.silent++;
      tally.replies += replies.length;
      for (const reply of replies) {
        const problem = replyProblem(reply, input);
        if (problem) problems.push({ problem, actor: actor.userId, body: shortly(hostile) });
      }
    }
    return { problems, tally };
  }

  it(`${RESIDENT_EVENTS.toLocaleString("en-GB")} events from residents, newcomers, strangers and bots: clear replies, nothing broken, nobody else touched`, async () => {
    const started = Date.now();
    const before = await othersSnapshot();
    const actors: Actor[] = [
      t.chat.actor("ana"),
      t.chat.actor("sue"),
      t.chat.actor("cat"),
      t.chat.actor("stranger", { displayName: NASTY[0] ?? "" }),
      t.chat.actor("zed", { displayName: "@everyone".repeat(30) }),
      t.chat.actor("ana", { isWorkspaceAdmin: true }),
      t.chat.actor("mallory", { isWorkspaceAdmin: true, displayName: "<!channel>" }),
      t.chat.actor("a-bot", { isBot: true }),
      t.chat.actor("ben", { workspaceId: "another-workspace" }),
    ];
    const { problems, tally } = await fuzz(actors, RESIDENT_EVENTS, 20270301);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(await consistencyProblems()).toEqual([]);
    expect(await othersSnapshot()).toEqual(before);
    report("hostile input (residents and strangers)", {
      ...tally,
      problems: problems.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  }, 240_000);

  it("a NUL character in a button or form id gets the ordinary answer, not an internal error (found by this fuzz)", async () => {
    const internal = /something went wrong/;
    expect(textOf(await t.chat.press("ana", `ci:f:\u0000${ids[`checkin-${ids.ben}`]}:steady`))).not.toMatch(internal);
    expect(textOf(await t.chat.submit("ana", "cinote:\u0000x", { note: "hello" }))).toMatch(/isn't yours or no longer exists/);
    expect(textOf(await t.chat.press("kim", "abs:approve:\u0000x"))).toMatch(/doesn't exist any more/);
  });

  it(`${STAFF_EVENTS.toLocaleString("en-GB")} events from staff: clear replies and a consistent database`, async () => {
    const started = Date.now();
    const { problems, tally } = await fuzz([t.chat.actor("kim"), t.chat.actor("owner")], STAFF_EVENTS, 20270302);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(await consistencyProblems()).toEqual([]);
    report("hostile input (staff)", { ...tally, problems: problems.length, seconds: Math.round((Date.now() - started) / 100) / 10 });
  }, 120_000);
});
