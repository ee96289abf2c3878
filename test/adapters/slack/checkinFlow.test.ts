import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { message } from "../../../src/core/message.ts";
import { testCipher } from "../../support/testApp.ts";
import { actionIds, dmOf, type Mode, people, SlackHarness, shownText } from "./harness.ts";

/** The bot's own check-in flow, from a resident's first "hi" to a saved note, through real Bolt and the Slack double. */
describe.each<Mode>(["socket", "http"])("a resident's daily check-in on Slack (%s mode)", (mode) => {
  let h: SlackHarness;
  const samDm = dmOf(people.sam);
  let promptTs = "";
  let checkinId = "";

  beforeAll(async () => {
    // What the lead wires to a service; here the person's own details, to show they arrive.
    h = await SlackHarness.start(mode, {
      home: async (actor) => message(`Zone: ${actor.timezone ?? "unknown"}`, { title: `${actor.displayName}'s home` }),
    });
    await h.setUpHouse();
  });
  afterAll(async () => {
    await h.close();
  });

  it("a first DM brings the welcome; pressing 'I agree' updates it in place, in the time zone Slack reports", async () => {
    await h.dm(people.sam, "hi");
    const welcome = await h.double.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === samDm && actionIds(call.args).includes("consent:agree"),
    );
    const ts = String(welcome.result?.ts);

    await h.press(people.sam, "consent:agree", { channelId: samDm, messageTs: ts });

    const edit = await h.double.waitForCall("chat.update", (call) => call.args.ts === ts);
    expect(edit.args.channel).toBe(samDm);
    expect(shownText(edit.args)).toContain("America/New_York");
    const sam = await h.member(people.sam);
    expect(sam?.status).toBe("active");
    expect(sam?.consentAt).not.toBeNull();
  });

  it("at their time the check-in arrives by DM, and a button press turns it into the next question", async () => {
    const sam = await h.member(people.sam);
    if (!sam?.nextCheckinAt) throw new Error("no check-in scheduled");
    h.clock.set(new Date(sam.nextCheckinAt.getTime() + 60_000));
    await h.app.scheduler.sweep(h.clock.now());
    await h.deliver();

    const prompt = await h.double.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === samDm && shownText(call.args).includes("Daily check-in"),
    );
    promptTs = String(prompt.result?.ts);
    const struggling = actionIds(prompt.args).find((id) => id.endsWith(":struggling"));
    if (!struggling) throw new Error("no Struggling button");
    checkinId = struggling.split(":")[2] ?? "";

    await h.press(people.sam, struggling, { channelId: samDm, messageTs: promptTs });

    const edit = await h.double.waitForCall("chat.update", (call) => call.args.ts === promptTs);
    expect(shownText(edit.args)).toMatch(/craving/i);
    const checkin = await h.database.prisma.checkin.findUniqueOrThrow({ where: { id: checkinId } });
    expect(checkin.feeling).toBe("struggling");
  });

  it("the Home tab shows what the home builder made for that person", async () => {
    await h.openHome(people.sam);
    const published = await h.double.waitForCall("views.publish", (call) => call.args.user_id === people.sam.userId);
    const shown = JSON.stringify(published.args.view);
    expect(shown).toContain("Sam's home");
    expect(shown).toContain("Zone: America/New_York");
  });

  it("'Add a note' opens a modal before acknowledging, and the submitted note is stored encrypted", async () => {
    const delivered = await h.press(people.sam, `ci:n:${checkinId}`, { channelId: samDm, messageTs: promptTs });
    const opened = await h.double.waitForCall(
      "views.open",
      (call) => (call.args.view as { callback_id?: string }).callback_id === `cinote:${checkinId}`,
    );
    expect(opened.seq).toBeLessThan(delivered.ackSeq);

    const note = "<!channel> long day & a hard call with my mum";
    const metadata = (opened.args.view as { private_metadata: string }).private_metadata;
    await h.submit(people.sam, `cinote:${checkinId}`, { note }, metadata);

    const saved = await eventuallyNote(h, checkinId);
    expect(saved).not.toContain("long day");
    expect(testCipher.decrypt(saved)).toBe(note);
  });
});

async function eventuallyNote(h: SlackHarness, checkinId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const checkin = await h.database.prisma.checkin.findUniqueOrThrow({ where: { id: checkinId } });
    if (checkin.noteCipher) return checkin.noteCipher;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the note was never saved");
}
