import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp, testCipher } from "../../support/testApp.ts";
import { lastDm, memberNamed, words } from "./helpers.ts";

/** Counsellors grant and revoke peer roles; the history keeps who, when and why. */

let t: TestApp;

const grantsOf = async (name: string) =>
  t.database.prisma.roleGrant.findMany({ where: { member: { platformUserId: name } }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z", platform: "console" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
  await addCounsellor(t, "kim");
  await addResident(t, "ben");
  await t.database.prisma.member.update({ where: { id: (await memberNamed(t, "ben")).id }, data: { programmeStart: "2026-09-01" } });
});
afterAll(async () => {
  await t.close();
});

describe("granting and revoking peer roles", () => {
  it("granting the buddy role records who and why, and tells the resident kindly", async () => {
    const answer = await t.chat.command("jo", "peer-role", "@ben buddy steady for four months");
    expect(textOf(answer)).toMatch(/ben is now a buddy. I've let them know kindly/);
    await t.deliver();
    const [grant] = await grantsOf("ben");
    const jo = await memberNamed(t, "jo");
    expect(grant).toMatchObject({ peerRole: "buddy_eligible", grantedById: jo.id, revokedAt: null });
    expect(grant?.createdAt.toISOString()).toBe("2027-01-04T09:00:00.000Z");
    expect(grant?.reason).not.toContain("steady");
    expect(testCipher.decrypt(grant?.reason ?? "")).toBe("steady for four months");
    expect((await memberNamed(t, "ben")).peerRole).toBe("buddy_eligible");
    const dm = words(lastDm(t, "ben", "A new role"));
    expect(dm).toMatch(/jo has asked you to be a buddy: someone who helps a newcomer settle in/);
    expect(dm).not.toMatch(/!/);
  });

  it("making them a senior peer ends the buddy grant and starts a new one", async () => {
    t.clock.set("2027-01-10T09:00:00Z");
    await t.chat.command("kim", "peer-role", "@ben senior-peer ready for more");
    await t.deliver();
    const [buddy, senior] = await grantsOf("ben");
    const kim = await memberNamed(t, "kim");
    expect(buddy).toMatchObject({ peerRole: "buddy_eligible", revokedById: kim.id });
    expect(buddy?.revokedAt?.toISOString()).toBe("2027-01-10T09:00:00.000Z");
    expect(testCipher.decrypt(buddy?.revokeReason ?? "")).toBe("ready for more");
    expect(senior).toMatchObject({ peerRole: "senior_peer", grantedById: kim.id, revokedAt: null });
    expect(words(lastDm(t, "ben", "A new role"))).toMatch(/kim has made you a senior peer.*buddy up to 2 newcomers/s);
  });

  it("revoking the role ends the pairing they buddy, tells them kindly, and proposes a new buddy for the newcomer", async () => {
    await t.chat.command("jo", "intake", "@ava");
    await t.chat.command("jo", "pair", "@ava @ben");
    t.clock.set("2027-01-12T09:00:00Z");
    const answer = textOf(await t.chat.command("jo", "peer-role", "@ben none needs time for their own recovery"));
    expect(answer).toMatch(/ben no longer holds a peer role. I've let them know kindly/);
    expect(answer).toMatch(/They were buddy to ava: that has ended/);
    await t.deliver();
    const grants = await grantsOf("ben");
    expect(grants).toHaveLength(2);
    expect(grants[1]?.revokedAt?.toISOString()).toBe("2027-01-12T09:00:00.000Z");
    expect(testCipher.decrypt(grants[1]?.revokeReason ?? "")).toBe("needs time for their own recovery");
    expect((await memberNamed(t, "ben")).peerRole).toBe("none");

    const dm = words(lastDm(t, "ben", "Your role"));
    expect(dm).toMatch(/Your peer role has ended for now. It isn't a judgement of you or your recovery/);
    expect(dm).not.toMatch(/own recovery/);
    const pairing = await t.database.prisma.buddyPairing.findFirstOrThrow({
      where: { newcomer: { platformUserId: "ava" }, status: "ended" },
    });
    expect(pairing).toMatchObject({ status: "ended", endReason: "role_revoked" });
    expect(words(lastDm(t, "ava", "Your buddy"))).toMatch(
      /ben won't be your buddy any more. A counsellor will introduce you to a new buddy soon/,
    );
    expect(words(lastDm(t, "jo", "A buddy for ava"))).toMatch(/couldn't find a buddy for ava/);
  });

  it("the history shows every grant, newest first, with who and why", async () => {
    const history = (await t.chat.command("kim", "peer-role", "@ben")).replies[0];
    expect(history?.title).toBe("ben: peer role");
    expect(history?.text).toBe("Now: no peer role.");
    expect(history?.fields).toEqual([
      { label: "10 Jan 2027: senior peer", value: "by kim: ready for more\nended 12 Jan 2027 by jo: needs time for their own recovery" },
      { label: "4 Jan 2027: buddy", value: "by jo: steady for four months\nended 10 Jan 2027 by kim: ready for more" },
    ]);
    expect(history?.ephemeral).toBe(true);
  });

  it("the same role again, no reason, or the wrong person: a clear answer and nothing changed", async () => {
    expect(textOf(await t.chat.command("jo", "peer-role", "@ben none again"))).toMatch(/ben doesn't hold a peer role/);
    expect(textOf(await t.chat.command("jo", "peer-role", "@ben buddy"))).toMatch(/Please add a reason/);
    expect(textOf(await t.chat.command("jo", "peer-role", "@kim buddy trusted"))).toMatch(/on the staff/);
    expect(textOf(await t.chat.command("jo", "peer-role", "@nobody buddy trusted"))).toMatch(/isn't a resident of this house/);
    expect(textOf(await t.chat.command("jo", "peer-role", "@ben captain trusted"))).toMatch(
      /role should be one of: senior-peer, buddy, none/,
    );
    expect(textOf(await t.chat.command("ava", "peer-role", "@ben buddy I trust them"))).toMatch(/\/peer-role is for counsellors/);
    expect(await grantsOf("ben")).toHaveLength(2);
  });
});
