import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordHouse, OAK, oakHouseGuild, startDiscordHouse } from "../../support/discordDouble/house.ts";
import { buttonPress, directMessage, slashCommand } from "../../support/discordDouble/index.ts";

let h: DiscordHouse;

beforeAll(async () => {
  h = await startDiscordHouse({ guilds: [oakHouseGuild()] });
  h.clock.set("2027-01-04T12:00:00Z");
  const setup = slashCommand(h.double, OAK.owner, "setup", [{ name: "timezone", type: "string", value: "Europe/London" }], {
    guildId: OAK.guildId,
    channelId: OAK.houseChannel,
  });
  h.double.injectInteraction(setup);
  await h.handled(setup.id);
});
afterAll(async () => {
  await h.close();
});

async function dm(text: string) {
  const message = directMessage(h.double, OAK.sam, text);
  h.double.injectMessage(message);
  await h.handled(message.id);
  return h.double.messagesIn(message.channel_id).at(-1);
}

describe("a resident's daily check-in on Discord", () => {
  it("a first DM brings the welcome; agreeing with the button schedules the check-in", async () => {
    const welcome = await dm("hi");
    expect(welcome?.content).toContain("Before we start");
    expect(welcome?.content).toContain("you and the house counsellors");
    const press = buttonPress(h.double, OAK.sam, welcome?.id ?? "", "consent:agree");
    h.double.injectInteraction(press);
    await h.handled(press.id);
    const house = await h.app.services.houses.findByWorkspace("discord", OAK.guildId);
    const sam = await h.app.services.members.byPlatformUser(house?.id ?? "", OAK.sam);
    expect(sam?.status).toBe("active");
    expect(sam?.nextCheckinAt?.toISOString()).toBe("2027-01-04T20:00:00.000Z");
  });

  it("at 20:00 the prompt arrives by DM with its buttons, and an answer in words is stored", async () => {
    h.clock.set("2027-01-04T20:00:00Z");
    await h.app.scheduler.sweep(h.clock.now());
    await h.app.outbox.runOnce();
    const prompt = h.double.messagesIn(h.double.dmChannel(OAK.sam)).at(-1);
    expect(prompt?.content).toContain("how is today?");
    expect(JSON.stringify(prompt?.components)).toContain("Sober and steady");

    const answer = await dm("sober, craving 2, mood 4, went to a meeting");
    expect(answer?.content).toContain("today's check-in is saved");
    const checkin = await h.database.prisma.checkin.findFirst({ where: { localDate: "2027-01-04" } });
    expect(checkin).toMatchObject({ status: "answered", feeling: "steady", craving: 2, mood: 4, meetingToday: true, source: "text" });
  });

  it("pressing a button on the prompt changes the answer and updates that message", async () => {
    const prompt = h.double.messagesIn(h.double.dmChannel(OAK.sam)).find((m) => m.content.includes("how is today?"));
    const checkin = await h.database.prisma.checkin.findFirst({ where: { localDate: "2027-01-04" } });
    const press = buttonPress(h.double, OAK.sam, prompt?.id ?? "", `ci:f:${checkin?.id}:struggling`);
    h.double.injectInteraction(press);
    await h.handled(press.id);
    const updated = h.double.messagesIn(h.double.dmChannel(OAK.sam)).find((m) => m.id === prompt?.id);
    expect(updated?.edits).toBeGreaterThan(0);
    expect((await h.database.prisma.checkin.findFirst({ where: { localDate: "2027-01-04" } }))?.feeling).toBe("struggling");
  });
});
