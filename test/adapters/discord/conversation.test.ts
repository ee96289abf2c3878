import { GatewayIntentBits, MessageFlags } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordHouse, OAK, oakHouseGuild, startDiscordHouse } from "../../support/discordDouble/house.ts";
import { directMessage, slashCommand } from "../../support/discordDouble/index.ts";

let h: DiscordHouse;
const inOak = { guildId: OAK.guildId, channelId: OAK.houseChannel };
const ELSEWHERE = { guildId: "310000000000000009", member: "339999999999999991" };
const STRANGER = { id: "339999999999999992", username: "passer-by" };
/** Taken in by the house (a row in our database) but never seen by the bot on Discord. */
const KNOWN = { id: "339999999999999993", username: "kit" };

beforeAll(async () => {
  h = await startDiscordHouse({
    guilds: [
      { ...oakHouseGuild(), members: [...oakHouseGuild().members, KNOWN] },
      { id: ELSEWHERE.guildId, name: "Elsewhere", ownerId: ELSEWHERE.member, members: [{ id: ELSEWHERE.member, username: "far" }] },
    ],
    strangers: [STRANGER],
  });
});
afterAll(async () => {
  await h.close();
});

async function run(payload: ReturnType<typeof slashCommand>) {
  h.double.injectInteraction(payload);
  await h.handled(payload.id);
  return h.double.responseTo(payload.id);
}

describe("a house meets the bot on Discord", () => {
  it("connects with only the Guilds and DirectMessages intents, neither privileged", () => {
    expect(h.double.identifies).toHaveLength(1);
    expect(h.double.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.DirectMessages);
  });

  it("the server's owner runs /setup: the bot defers privately at once, then replaces the placeholder with the answer", async () => {
    const answer = await run(
      slashCommand(
        h.double,
        OAK.owner,
        "setup",
        [
          { name: "timezone", type: "string", value: "Europe/London" },
          { name: "country", type: "string", value: "gb" },
          { name: "staff-channel", type: "string", value: `<#${OAK.staffChannel}>` },
        ],
        inOak,
      ),
    );
    expect(answer.callbacks).toEqual([{ type: 5, data: { flags: MessageFlags.Ephemeral } }]);
    expect(answer.original?.content).toContain("**Welcome to Oak House**");
    expect(answer.original?.content).toContain("**Time zone:** Europe/London");
    expect(answer.original?.flags).toBe(MessageFlags.Ephemeral);
    const house = await h.app.services.houses.findByWorkspace("discord", OAK.guildId);
    expect(house).toMatchObject({ name: "Oak House", staffChannelId: OAK.staffChannel });
    const owner = await h.app.services.members.byPlatformUser(house?.id ?? "", OAK.owner);
    expect(owner).toMatchObject({ role: "admin", displayName: "Olive" });
  });

  it("a resident's /help lists what they may do, privately", async () => {
    const answer = await run(slashCommand(h.double, OAK.sam, "help", [], inOak));
    expect(answer.original?.content).toContain("**What you can do in Oak House**");
    expect(answer.original?.content).not.toContain("/staff");
    expect(answer.original?.flags).toBe(MessageFlags.Ephemeral);
  });

  it("a server administrator who is not a house admin cannot change the house: roles come from our database", async () => {
    const answer = await run(
      slashCommand(h.double, OAK.admin, "setup", [{ name: "timezone", type: "string", value: "America/New_York" }], inOak),
    );
    expect(answer.original?.content).toContain("Only the house's admins can change its setup");
    const house = await h.app.services.houses.findByWorkspace("discord", OAK.guildId);
    expect(house?.timezone).toBe("Europe/London");
  });

  it("a user option arrives as the person's Discord id: the owner makes Sam a counsellor", async () => {
    const answer = await run(
      slashCommand(
        h.double,
        OAK.owner,
        "staff",
        [
          { name: "action", type: "string", value: "add" },
          { name: "user", type: "user", value: OAK.sam },
          { name: "role", type: "string", value: "counsellor" },
        ],
        inOak,
      ),
    );
    expect(answer.original?.content).toBe("Sam is now a counsellor.");
  });

  it("a display name of @everyone echoed back pings nobody and shows as plain text", async () => {
    await run(slashCommand(h.double, OAK.pinger, "help", [], inOak));
    const answer = await run(
      slashCommand(
        h.double,
        OAK.owner,
        "staff",
        [
          { name: "action", type: "string", value: "add" },
          { name: "user", type: "user", value: OAK.pinger },
        ],
        inOak,
      ),
    );
    const content = answer.original?.content ?? "";
    expect(content).toContain("@\u200beveryone <\u200b@330000000000000001> is now a counsellor");
    expect(content).not.toMatch(/@everyone|<@\d/);
    expect(answer.original?.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("a gateway replay of the same interaction is answered once", async () => {
    const payload = slashCommand(h.double, OAK.jo, "help", [], inOak);
    await run(payload);
    h.double.injectInteraction(payload);
    await h.double.waitFor(() => h.logs.lines().some((line) => line.includes(payload.id) && line.includes("already acknowledged")));
    expect(h.double.callsTo(`POST /interactions/${payload.id}/:token/callback`)).toHaveLength(2);
    expect(h.double.responseTo(payload.id).callbacks).toHaveLength(1);
    expect(await h.database.prisma.inboundEvent.count({ where: { eventId: payload.id } })).toBe(1);
  });
});

describe("direct messages", () => {
  it("a DM is answered in the DM, attributed to the house the person shares with the bot", async () => {
    const dm = directMessage(h.double, OAK.jo, "hello");
    h.double.injectMessage(dm);
    await h.handled(dm.id);
    const [answer] = h.double.messagesIn(dm.channel_id);
    expect(answer?.content).toContain("I'm the house check-in bot");
    expect(answer?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const house = await h.app.services.houses.findByWorkspace("discord", OAK.guildId);
    expect(await h.app.services.members.byPlatformUser(house?.id ?? "", OAK.jo)).not.toBeNull();
  });

  it("a replayed DM is answered once", async () => {
    const dm = directMessage(h.double, OAK.jo, "hello again");
    h.double.injectMessage(dm);
    await h.handled(dm.id);
    const before = h.double.messagesIn(dm.channel_id).length;
    h.double.injectMessage(dm);
    // Events are handled in order, so once the next DM is answered the replay has had its chance.
    const next = directMessage(h.double, OAK.jo, "and again");
    h.double.injectMessage(next);
    await h.handled(next.id);
    expect(h.double.messagesIn(dm.channel_id)).toHaveLength(before + 1);
  });

  it("a slash command in a DM acts in the person's house, and the reply needs no ephemeral flag", async () => {
    const answer = await run(slashCommand(h.double, OAK.jo, "help", []));
    expect(answer.callbacks).toEqual([{ type: 5, data: {} }]);
    expect(answer.original?.content).toContain("What you can do in Oak House");
  });

  it("someone in another server the bot serves is attributed to that server, found over REST", async () => {
    const answer = await run(slashCommand(h.double, ELSEWHERE.member, "help", []));
    expect(answer.original?.content).toContain("This server doesn't have a house set up yet");
    expect(h.double.callsTo("GET /guilds/:guild/members/:user").map((c) => c.path)).toEqual([
      `/guilds/${OAK.guildId}/members/${ELSEWHERE.member}`,
      `/guilds/${ELSEWHERE.guildId}/members/${ELSEWHERE.member}`,
    ]);
  });

  it("a resident the house already knows is placed by our database, without asking Discord", async () => {
    const house = await h.app.services.houses.findByWorkspace("discord", OAK.guildId);
    await h.database.prisma.member.create({ data: { houseId: house?.id ?? "", platformUserId: KNOWN.id, displayName: "Kit" } });
    const dm = directMessage(h.double, KNOWN.id, "hello");
    h.double.injectMessage(dm);
    await h.handled(dm.id);
    expect(h.double.messagesIn(dm.channel_id)[0]?.content).toContain("I'm the house check-in bot");
    expect(h.double.callsTo("GET /guilds/:guild/members/:user").filter((c) => c.path.endsWith(KNOWN.id))).toEqual([]);
  });

  it("someone who shares no server with the bot is told so, and nothing is recorded about them", async () => {
    const dm = directMessage(h.double, STRANGER.id, "hi");
    h.double.injectMessage(dm);
    await h.double.waitFor(() => h.double.messagesIn(dm.channel_id).length > 0);
    expect(h.double.messagesIn(dm.channel_id)[0]?.content).toContain("I couldn't find a server we share");
    expect(await h.database.prisma.inboundEvent.count({ where: { eventId: dm.id } })).toBe(0);
    expect(await h.database.prisma.member.count({ where: { platformUserId: STRANGER.id } })).toBe(0);
  });
});
