import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../../src/core/message.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";
import { alertAbout, changeSettings, memberNamed, sendsAbout } from "./helpers.ts";

/**
 * Crisis words, the help button and /sos show the resident the crisis numbers for their house's
 * country first, in full, before anything else happens; the counsellor's DM follows from the outbox.
 */

let uk: TestApp;
let us: TestApp;

beforeAll(async () => {
  uk = await createTestApp({ start: "2027-01-04T09:00:00Z" });
  await setUpHouse(uk);
  await addCounsellor(uk, "jo");
  for (const name of ["cas", "hal", "ivy", "nat", "ora"]) await addResident(uk, name, { keyCounsellor: "jo" });

  us = await createTestApp({ start: "2027-01-04T14:00:00Z" });
  await setUpHouse(us, { country: "us", timezone: "America/New_York" });
  await addCounsellor(us, "dee");
  await addResident(us, "ash", { keyCounsellor: "dee" });
});
afterAll(async () => {
  await uk.close();
  await us.close();
});

/** Numbers first and in full, then that the bot is not an emergency service, then that the counsellor knows. */
function expectCrisisReply(message: Message | undefined, firstLine: string, alsoListed: string[]): void {
  const text = message?.text ?? "";
  expect(message?.title).toBe("If you need help right now");
  expect(text.split("\n")[0]).toBe(firstLine);
  for (const number of alsoListed) expect(text).toContain(number);
  const lastNumber = Math.max(...alsoListed.map((n) => text.indexOf(n)));
  const notEmergency = text.indexOf("not an emergency service");
  const told = text.indexOf("Your counsellor has been told");
  expect(lastNumber).toBeLessThan(notEmergency);
  expect(notEmergency).toBeLessThan(told);
}

async function nothingSentYet(t: TestApp, mark: number, alertId: string): Promise<void> {
  expect(t.chat.delivered.slice(mark)).toEqual([]);
  const queued = await t.database.prisma.outbox.findMany({ where: { correlationKey: `alert:${alertId}` } });
  expect(queued.map((row) => [row.lane, row.status])).toEqual([["alert", "pending"]]);
}

const UK_FIRST = "Samaritans: 116 123 (free, day or night)";
const UK_NUMBERS = ["116 123", "111", "999"];

describe("a house in the UK", () => {
  it("crisis words in a DM: the reply opens with Samaritans 116 123, lists 999, and the counsellor's DM is delivered afterwards", async () => {
    const mark = uk.chat.delivered.length;
    const answer = await uk.chat.dm("cas", "I can't go on any more");
    expect(answer.replies).toHaveLength(1);
    expectCrisisReply(answer.replies[0], UK_FIRST, UK_NUMBERS);

    const alert = await alertAbout(uk, "cas");
    await nothingSentYet(uk, mark, alert.id);
    await uk.deliver();
    expect(sendsAbout(uk, alert.id, mark).map((d) => [d.to, d.message.title])).toEqual([["jo", "URGENT: cas needs attention"]]);
  });

  it("the help button in the check-in shows the numbers before the rest of the check-in", async () => {
    await uk.chat.command("hal", "checkin", "steady");
    const checkin = await uk.database.prisma.checkin.findFirstOrThrow({ where: { memberId: (await memberNamed(uk, "hal")).id } });
    const mark = uk.chat.delivered.length;
    const answer = await uk.chat.press("hal", `ci:f:${checkin.id}:help`);
    expectCrisisReply(answer.replies[0], UK_FIRST, UK_NUMBERS);
    const alert = await alertAbout(uk, "hal");
    expect(alert).toMatchObject({ kind: "sos", severity: "critical" });
    await nothingSentYet(uk, mark, alert.id);
    await uk.deliver();
    expect(sendsAbout(uk, alert.id, mark).map((d) => d.to)).toEqual(["jo"]);
  });

  it("/sos, once confirmed, replaces the question with the numbers", async () => {
    await uk.chat.command("ivy", "sos");
    const mark = uk.chat.delivered.length;
    const answer = await uk.chat.press("ivy", "sos:confirm");
    expectCrisisReply(answer.updates[0], UK_FIRST, UK_NUMBERS);
    const alert = await alertAbout(uk, "ivy");
    await nothingSentYet(uk, mark, alert.id);
    await uk.deliver();
    expect(sendsAbout(uk, alert.id, mark).map((d) => d.to)).toEqual(["jo"]);
  });

  it("crisis words in a check-in note: the numbers come first, then the check-in reply", async () => {
    const mark = uk.chat.delivered.length;
    const answer = await uk.chat.command("nat", "checkin", "struggling 6 1 no I want to end it all tonight");
    expect(answer.replies).toHaveLength(2);
    expectCrisisReply(answer.replies[0], UK_FIRST, UK_NUMBERS);
    const alert = await alertAbout(uk, "nat");
    expect(alert).toMatchObject({ kind: "crisis_words", severity: "critical" });
    await nothingSentYet(uk, mark, alert.id);
  });

  it("a house's own crisis lines replace the built-in ones", async () => {
    await changeSettings(uk, { crisisLines: [{ name: "House crisis team", number: "0161 496 0000" }] });
    const answer = await uk.chat.dm("ora", "i want to kill myself");
    expectCrisisReply(answer.replies[0], "House crisis team: 0161 496 0000", ["0161 496 0000"]);
    expect(answer.replies[0]?.text).not.toContain("116 123");
  });
});

describe("a house in the US", () => {
  it("crisis words show 988 first and 911, never the UK numbers, and the counsellor's DM follows", async () => {
    const mark = us.chat.delivered.length;
    const answer = await us.chat.dm("ash", "i dont want to be alive");
    expectCrisisReply(answer.replies[0], "988 Suicide & Crisis Lifeline: 988 (call or text)", ["988", "911"]);
    expect(answer.replies[0]?.text).not.toMatch(/116 123|999|Samaritans/);

    const alert = await alertAbout(us, "ash");
    expect(alert.severity).toBe("critical");
    await nothingSentYet(us, mark, alert.id);
    await us.deliver();
    const dm = sendsAbout(us, alert.id, mark);
    expect(dm.map((d) => [d.to, d.message.title])).toEqual([["dee", "URGENT: ash needs attention"]]);
    // Times in the counsellor's DM are the house's own: 14:00 UTC is 09:00 in New York.
    expect(dm[0]?.message.fields).toContainEqual({ label: "Since", value: "Mon 4 Jan, 09:00" });
  });
});
