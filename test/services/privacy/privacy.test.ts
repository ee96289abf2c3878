import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTextCipher } from "../../../src/db/crypto.ts";
import { ENCRYPTED_COLUMNS, reencryptAll } from "../../../src/db/encryptedColumns.ts";
import { textOf } from "../../support/fakeChat.ts";
import { addCounsellor, addResident, runUntil } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp, testCipher } from "../../support/testApp.ts";

let t: TestApp;
const MARK_A = "PRIVATE-MARKER-AMY";
const MARK_B = "PRIVATE-MARKER-BO";

beforeAll(async () => {
  t = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(t);
  await addCounsellor(t, "jo");
});
afterAll(async () => {
  await t.close();
});

/** Every row of every text or JSON column that contains the marker in plain text. */
async function plaintextHits(marker: string): Promise<string[]> {
  const columns = await t.database.prisma.$queryRawUnsafe<Array<{ table_name: string; column_name: string }>>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'character varying', 'ARRAY')`,
  );
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    const rows = await t.database.prisma.$queryRawUnsafe<Array<{ n: bigint | number }>>(
      `SELECT count(*) AS n FROM "${table_name}" WHERE "${column_name}"::text LIKE $1`,
      `%${marker}%`,
    );
    if (Number(rows[0]?.n ?? 0) > 0) hits.push(`${table_name}.${column_name}`);
  }
  return hits;
}

/** Every encrypted value that decrypts to something containing the marker. */
async function encryptedHits(marker: string): Promise<string[]> {
  const hits: string[] = [];
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    const rows = await t.database.prisma.$queryRawUnsafe<Array<{ value: string }>>(
      `SELECT "${column}" AS value FROM "${table}" WHERE "${column}" IS NOT NULL`,
    );
    for (const row of rows) if (testCipher.decrypt(row.value).includes(marker)) hits.push(`${table}.${column}`);
  }
  return hits;
}

describe("consent comes first", () => {
  it("a resident who has not agreed stores nothing beyond their member record, whatever they type", async () => {
    await t.chat.dm("nia", `sober, craving 3, mood 4 ${MARK_A}`);
    await t.chat.command("nia", "checkin", "steady 2 4 yes");
    const nia = await t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: "nia" } });
    expect(nia.status).toBe("invited");
    expect(nia.nextCheckinAt).toBeNull();
    expect(await t.database.prisma.checkin.count({ where: { memberId: nia.id } })).toBe(0);
    expect(await t.database.prisma.riskSignal.count({ where: { memberId: nia.id } })).toBe(0);
  });
});

describe("a resident's rights over their data", () => {
  it("/privacy show says what is stored, who sees it and for how long", async () => {
    await addResident(t, "amy", { time: "20:00", keyCounsellor: "jo", sobrietyDate: "2026-11-01" });
    const shown = textOf(await t.chat.command("amy", "privacy"));
    expect(shown).toMatch(/Who can see it: you, and the counsellors of your house/);
    expect(shown).toMatch(/Your buddy never sees your answers/);
    expect(shown).toMatch(/erased after 365 days/);
  });

  it("notes, absence reasons and alert outcomes are encrypted at rest, and delivered messages keep no words", async () => {
    await addResident(t, "bo", { time: "20:00", keyCounsellor: "jo" });
    await runUntil(t, "2027-01-04T20:05:00Z");
    await t.chat.command("amy", "checkin", `used 9 2 no ${MARK_A} rough night`);
    await t.chat.command("bo", "checkin", `steady 1 4 yes ${MARK_B}`);
    await t.chat.command("amy", "away", `2027-01-10 2027-01-11 court ${MARK_A}`);
    await t.deliver();
    const alert = await t.database.prisma.alert.findFirstOrThrow({ where: { subject: { platformUserId: "amy" } } });
    await t.chat.submit("jo", `alres:${alert.id}`, { outcome: `talked it through ${MARK_A}` });
    await t.deliver();
    expect(await plaintextHits(MARK_A)).toEqual([]);
    expect((await encryptedHits(MARK_A)).sort()).toEqual(["Absence.reason", "Alert.outcome", "Checkin.noteCipher"]);
    const delivered = await t.database.prisma.outbox.findMany({ where: { status: "sent" } });
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((row) => JSON.stringify(row.message) === '{"delivered":true}')).toBe(true);
  });

  it("/privacy export sends a JSON file with everything about them, and nothing about anyone else", async () => {
    const answer = await t.chat.command("amy", "privacy", "export");
    const file = answer.replies[0]?.attachments?.[0];
    expect(file?.contentType).toBe("application/json");
    const json = Buffer.from(file?.base64 ?? "", "base64").toString("utf8");
    const data = JSON.parse(json);
    expect(data.you.displayName).toBe("amy");
    expect(data.checkins[0]).toMatchObject({ date: "2027-01-04", feeling: "used", craving: 9, note: expect.stringContaining(MARK_A) });
    expect(data.sobrietyHistory.map((e: { kind: string }) => e.kind)).toEqual(["date_set", "lapse", "recommitment"]);
    expect(data.absences[0].reason).toContain(MARK_A);
    expect(data.alertsAboutYou).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "reported_use", state: "resolved" })]));
    expect(json).not.toContain(MARK_B);
    expect(json).not.toContain('"bo"');
  });

  it("counsellor reads and exports are audited, and admins can read the audit log", async () => {
    const alert = await t.database.prisma.alert.findFirstOrThrow({ where: { subject: { platformUserId: "amy" } } });
    await t.chat.press("jo", `al:sum:${alert.id}`);
    const csv = await t.chat.command("jo", "report", "export 7");
    const text = Buffer.from(csv.replies[0]?.attachments?.[0]?.base64 ?? "", "base64").toString("utf8");
    expect(text.split("\n")[0]).toBe("date,resident,status,feeling,craving,mood,meeting");
    expect(text).not.toContain(MARK_A);
    const actions = (await t.database.prisma.auditLog.findMany({ where: { actorId: { not: null } } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["resident.summary_viewed", "report.exported", "privacy.exported_own"]));
    expect(textOf(await t.chat.command("jo", "report", "audit"))).toMatch(/for house admins/);
    expect(textOf(await t.chat.command("owner", "report", "audit"))).toMatch(/jo: resident.summary_viewed \(amy\)/);
  });

  it("/privacy withdraw stops every schedule at once", async () => {
    const before = t.chat.dmsTo("bo").filter((m) => m.title === "Daily check-in").length;
    expect(textOf(await t.chat.command("bo", "privacy", "withdraw"))).toMatch(/no more check-ins/);
    const bo = await t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: "bo" } });
    expect(bo).toMatchObject({ status: "invited", nextCheckinAt: null, consentAt: null });
    await runUntil(t, "2027-01-06T23:00:00Z");
    expect(t.chat.dmsTo("bo").filter((m) => m.title === "Daily check-in")).toHaveLength(before);
  });

  it("/privacy delete asks first, then erases answers, notes and events, keeping the minimal record and the audit", async () => {
    expect(textOf(await t.chat.command("amy", "privacy", "delete"))).toMatch(/cannot be undone/);
    const answer = await t.chat.press("amy", "priv:delete");
    expect(textOf(answer)).toMatch(/has been erased/);
    const amy = await t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: "amy" } });
    expect(amy).toMatchObject({ displayName: "amy", sobrietyDate: null, nextCheckinAt: null });
    for (const count of [
      t.database.prisma.checkin.count({ where: { memberId: amy.id } }),
      t.database.prisma.sobrietyEvent.count({ where: { memberId: amy.id } }),
      t.database.prisma.absence.count({ where: { memberId: amy.id } }),
      t.database.prisma.alert.count({ where: { subjectId: amy.id } }),
      t.database.prisma.riskSignal.count({ where: { memberId: amy.id } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(await plaintextHits(MARK_A)).toEqual([]);
    expect(await encryptedHits(MARK_A)).toEqual([]);
    expect(await encryptedHits(MARK_B)).toEqual(["Checkin.noteCipher"]);
    expect(await t.database.prisma.auditLog.count({ where: { action: "privacy.erased", subjectId: amy.id } })).toBe(1);
  });

  it("no resident's words ever reach the logs, even on the paths that do log", async () => {
    // A replayed DM is logged (by id), which puts resident text right next to the logger.
    const replay = {
      kind: "directText" as const,
      text: `sober, craving 2 ${MARK_B} rough night`,
      eventId: "replayed-dm",
      actor: t.chat.actor("bo"),
      conversation: { channelId: "dm-bo", isDirect: true },
    };
    await t.chat.send(replay);
    await t.chat.send(replay);
    const logs = t.logs.lines().join("\n");
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(MARK_A);
    expect(logs).not.toContain(MARK_B);
    expect(logs).not.toContain("rough night");
  });
});

describe("retention and key rotation", () => {
  it("answers older than the house's retention are erased by the sweep", async () => {
    const bo = await t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: "bo" } });
    expect(await t.database.prisma.checkin.count({ where: { memberId: bo.id } })).toBeGreaterThan(0);
    t.clock.set("2028-01-10T12:00:00Z");
    await t.tick();
    expect(await t.database.prisma.checkin.count({ where: { memberId: bo.id } })).toBe(0);
    expect(await t.database.prisma.auditLog.count({ where: { action: "privacy.retention_erased" } })).toBe(1);
  });

  it("rotating the key re-encrypts every value so only the new key is needed", async () => {
    await t.chat.command("owner", "staff", "add @jo counsellor");
    await addResident(t, "cy", { time: "20:00" });
    await t.chat.command("cy", "checkin", "steady 1 5 yes still here");
    const newKey = Buffer.alloc(32, 9).toString("base64");
    const rotating = createTextCipher(newKey, [Buffer.alloc(32, 7).toString("base64")]);
    const rewritten = await reencryptAll(t.database.prisma, rotating);
    expect(rewritten).toBeGreaterThan(0);
    const onlyNew = createTextCipher(newKey);
    const row = await t.database.prisma.checkin.findFirstOrThrow({ where: { member: { platformUserId: "cy" } } });
    expect(onlyNew.decrypt(row.noteCipher ?? "")).toBe("still here");
    expect(() => testCipher.decrypt(row.noteCipher ?? "")).toThrow();
  });
});
