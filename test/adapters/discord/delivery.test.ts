import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DiscordAdapter } from "../../../src/adapters/discord/discordAdapter.ts";
import { message } from "../../../src/core/message.ts";
import { DeliveryError } from "../../../src/core/ports.ts";
import { enqueue } from "../../../src/outbox/enqueue.ts";
import { type DiscordHouse, OAK, oakHouseGuild, startDiscordHouse } from "../../support/discordDouble/house.ts";
import { DiscordDouble, slashCommand } from "../../support/discordDouble/index.ts";

let h: DiscordHouse;
let houseId: string;
const ids: Record<string, string> = {};
let keys = 0;

beforeAll(async () => {
  h = await startDiscordHouse();
  const setup = slashCommand(h.double, OAK.owner, "setup", [], { guildId: OAK.guildId });
  h.double.injectInteraction(setup);
  await h.handled(setup.id);
  houseId = (await h.app.services.houses.findByWorkspace("discord", OAK.guildId))?.id ?? "";
  for (const [name, userId] of [
    ["sam", OAK.sam],
    ["jo", OAK.jo],
  ] as const) {
    ids[name] = (
      await h.database.prisma.member.create({ data: { houseId, platformUserId: userId, displayName: name, status: "active" } })
    ).id;
  }
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.double.calls.length = 0;
});

async function dm(to: "sam" | "jo", text = "Time for your check-in.") {
  const key = `test:${++keys}`;
  await enqueue(h.database.prisma, [
    { idempotencyKey: key, houseId, lane: "prompt", targetMemberId: ids[to], notBefore: h.clock.now(), message: message(text) },
  ]);
  return key;
}

const row = (key: string) => h.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: key } });
const member = (name: string) => h.database.prisma.member.findUniqueOrThrow({ where: { id: ids[name] } });
const messagePosts = () => h.double.callsTo("POST /channels/:channel/messages");

describe("DMs through the outbox", () => {
  it("opens a member's DM channel once, remembers it, and sends the next DM with one request", async () => {
    await dm("sam");
    await h.app.outbox.runOnce();
    expect(h.double.callsTo("POST /users/@me/channels")).toHaveLength(1);
    expect((await member("sam")).dmChannelId).toBe(h.double.dmChannel(OAK.sam));

    h.double.calls.length = 0;
    await dm("sam", "A second message.");
    await h.app.outbox.runOnce();
    expect(h.double.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`POST /channels/${h.double.dmChannel(OAK.sam)}/messages`]);
    expect(h.double.messagesIn(h.double.dmChannel(OAK.sam)).map((m) => m.content)).toEqual([
      "Time for your check-in.",
      "A second message.",
    ]);
  });

  it("waits out a short rate limit once, after the delay Discord gave, and delivers", async () => {
    h.double.failNext(
      "POST /channels/:channel/messages",
      429,
      { message: "You are being rate limited.", retry_after: 1, global: false },
      { "Retry-After": "1" },
    );
    const key = await dm("sam");
    await h.app.outbox.runOnce();
    const [limited, retried] = messagePosts();
    expect(messagePosts()).toHaveLength(2);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect((await row(key)).status).toBe("sent");
  });

  it("hands a long rate limit back to the outbox, which waits that long without asking Discord again", async () => {
    h.double.failNext(
      "POST /channels/:channel/messages",
      429,
      { message: "You are being rate limited.", retry_after: 30, global: false },
      { "Retry-After": "30" },
    );
    const key = await dm("jo");
    await h.app.outbox.runOnce();
    const waiting = await row(key);
    expect(waiting.status).toBe("pending");
    expect(waiting.nextAttemptAt.getTime() - h.clock.now().getTime()).toBeGreaterThanOrEqual(30_000);
    expect(messagePosts()).toHaveLength(1);

    h.clock.advance(20_000);
    await h.app.outbox.runOnce();
    expect(messagePosts()).toHaveLength(1);

    h.clock.advance(11_000);
    await h.app.outbox.runOnce();
    expect(messagePosts()).toHaveLength(2);
    expect((await row(key)).status).toBe("sent");
  });

  it("retries a Discord outage later with backoff", async () => {
    // discord.js tries a 5xx twice in a row; the outbox then waits before the next go.
    h.double.failNext("POST /channels/:channel/messages", 502, { message: "Bad Gateway", code: 0 }, {}, 2);
    const key = await dm("sam");
    await h.app.outbox.runOnce();
    expect((await row(key)).status).toBe("pending");
    expect(messagePosts()).toHaveLength(2);
    h.clock.advance(5_000);
    await h.app.outbox.runOnce();
    expect((await row(key)).status).toBe("sent");
  });

  it("a person who closed their DMs (50007) is marked unreachable, a counsellor is told through a risk signal, and the bot stops trying", async () => {
    h.double.failNext("POST /channels/:channel/messages", 403, { message: "Cannot send messages to this user", code: 50007 });
    const key = await dm("jo");
    await h.app.outbox.runOnce();
    expect(await row(key)).toMatchObject({ status: "dead" });
    expect((await member("jo")).reachable).toBe(false);
    const signals = await h.database.prisma.riskSignal.findMany({ where: { memberId: ids.jo } });
    expect(signals).toMatchObject([{ kind: "unreachable", details: { code: "50007" } }]);

    h.double.calls.length = 0;
    h.clock.advance(60 * 60_000);
    await dm("jo", "Are you there?");
    await h.app.outbox.runOnce();
    expect(h.double.callsTo(`POST /channels/${h.double.dmChannel(OAK.jo)}/messages`)).toHaveLength(0);
  });
});

describe("sending to channels", () => {
  it("finds the staff channel by name when /setup was given a name, and says so when there is none", async () => {
    const sent = await h.adapter.postToChannel({ workspaceId: OAK.guildId, channelId: "#staff" }, message("Daily digest"));
    expect(sent.channelId).toBe(OAK.staffChannel);
    const missing = h.adapter.postToChannel({ workspaceId: OAK.guildId, channelId: "counsellors" }, message("Daily digest"));
    await expect(missing).rejects.toMatchObject({ options: { permanent: true } });
    await expect(missing).rejects.toBeInstanceOf(DeliveryError);
  });

  it("splits a long message over two posts and keeps the buttons under the whole text", async () => {
    const long = `${"Meeting notes. ".repeat(150)}\n${"More notes. ".repeat(50)}`;
    const sent = await h.adapter.postToChannel(
      { workspaceId: OAK.guildId, channelId: OAK.houseChannel },
      message(long, { buttons: [[{ actionId: "meeting:ack", label: "Got it" }]] }),
    );
    const posts = messagePosts().map((c) => c.body as { content: string; components: unknown[] });
    expect(posts).toHaveLength(2);
    expect(posts.every((p) => p.content.length <= 2000)).toBe(true);
    expect(posts.map((p) => p.components.length)).toEqual([0, 1]);
    expect(h.double.messages.get(sent.messageId)?.components).toHaveLength(1);
  });

  it("edits a posted alert in place, removing its buttons once acted on", async () => {
    const alert = await h.adapter.postToChannel(
      { workspaceId: OAK.guildId, channelId: OAK.staffChannel },
      message("Sam has not checked in for two days.", { buttons: [[{ actionId: "alert:ack:1", label: "Acknowledge", style: "primary" }]] }),
    );
    await h.adapter.updateMessage(OAK.guildId, alert, message("Sam has not checked in for two days. Acknowledged by Olive."));
    const edited = h.double.messages.get(alert.messageId);
    expect(edited).toMatchObject({ content: "Sam has not checked in for two days. Acknowledged by Olive.", components: [], edits: 1 });
    expect(h.double.callsTo("PATCH /channels/:channel/messages/:message")[0]?.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it("an edit of a message Discord no longer has fails for good", async () => {
    const edit = h.adapter.updateMessage(OAK.guildId, { channelId: OAK.staffChannel, messageId: "399999999999999999" }, message("x"));
    await expect(edit).rejects.toMatchObject({ options: { permanent: true, code: "10008" } });
  });

  it("attaches a chart as a PNG file whose alt text screen readers announce", async () => {
    await h.adapter.sendDirect(
      { workspaceId: OAK.guildId, userId: OAK.sam },
      message("Your week", {
        attachments: [
          {
            filename: "week.png",
            contentType: "image/png",
            base64: Buffer.from("png").toString("base64"),
            altText: "Mood rose from 2 to 4 this week",
          },
        ],
      }),
    );
    const [post] = messagePosts();
    expect(post?.files).toEqual([{ name: "week.png", contentType: "image/png", size: 3 }]);
    expect(post?.body).toMatchObject({ attachments: [{ id: 0, filename: "week.png", description: "Mood rose from 2 to 4 this week" }] });
  });
});

describe("Discord's global rate limit", () => {
  it("the double refuses a request beyond the limit the way Discord does", async () => {
    const double = await DiscordDouble.start({ guilds: [oakHouseGuild()] });
    double.limitGlobally(2);
    const post = () =>
      fetch(`${double.apiUrl}/v10/channels/${OAK.houseChannel}/messages`, {
        method: "POST",
        headers: { authorization: `Bot ${double.token}`, "content-type": "application/json" },
        body: JSON.stringify({ content: "hello" }),
      });
    const answers = [await post(), await post(), await post()];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    const refused = answers[2] as Response;
    expect(refused.headers.get("x-ratelimit-global")).toBe("true");
    expect(refused.headers.get("x-ratelimit-scope")).toBe("global");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ global: true, retry_after: expect.any(Number) });
    expect(double.globalRateLimited).toBe(1);
    await double.close();
  });

  it("DMs leave evenly spaced at the bot's configured limit, one request each, so Discord never refuses one", async () => {
    const double = await DiscordDouble.start({ guilds: [oakHouseGuild()] });
    double.limitGlobally(10);
    const adapter = new DiscordAdapter({ token: double.token, apiUrl: double.apiUrl, globalRequestsPerSecond: 10, logger: h.logs.logger });
    adapter.client.rest.setToken(double.token);
    expect(adapter.maxSendsInFlight).toBe(2);
    const channels = Array.from({ length: 25 }, (_, i) => `3400000000000000${String(i).padStart(2, "0")}`);
    const started = Date.now();
    await Promise.all(
      channels.map((channel, i) =>
        adapter.sendDirect({ workspaceId: OAK.guildId, userId: OAK.sam, dmChannelId: channel }, message(`#${i}`)),
      ),
    );
    // 25 requests at 10 a second, one every 100 ms: the last leaves 2.4 s after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_350);
    // Spaced, not a burst of ten each second: Discord may measure its second from any instant.
    // (The median, because a late timer lets an overdue request go just after the one before.)
    const gaps = double.calls
      .slice(1)
      .map((call, i) => call.at - (double.calls[i]?.at ?? 0))
      .sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(80);
    expect(double.globalRateLimited).toBe(0);
    expect(double.calls.map((c) => `${c.method} ${c.path.replace(/\d+/, ":channel")}`)).toEqual(
      channels.map(() => "POST /channels/:channel/messages"),
    );
    await adapter.client.destroy();
    await double.close();
  });
});
