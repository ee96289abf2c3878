import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../../src/adapters/slack/index.ts";
import { captureLogger } from "../../support/logger.ts";
import { encode, postSigned } from "../../support/slackDouble/http.ts";
import * as payloads from "../../support/slackDouble/payloads.ts";
import { SlackDouble } from "../../support/slackDouble/slackDouble.ts";
import { people, SIGNING_SECRET, SlackHarness, TEAM } from "./harness.ts";

/** In HTTP mode anyone can reach the port; only requests Slack signed may act. */
describe("HTTP mode refuses requests Slack did not sign", () => {
  let h: SlackHarness;
  const setup = () =>
    payloads.slashCommand(
      { teamId: TEAM, userId: people.owner.userId, userName: people.owner.userName },
      { command: "setup", text: "timezone:Europe/London", channelId: "CHOUSE", channelName: "house", responseUrl: h.double.responseUrl() },
    );

  beforeAll(async () => {
    h = await SlackHarness.start("http");
  });
  afterAll(async () => {
    await h.close();
  });

  async function expectNothingHappened() {
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.double.callsTo("users.info")).toHaveLength(0);
    expect(h.double.responses).toHaveLength(0);
    expect(await h.database.prisma.inboundEvent.count()).toBe(0);
    expect(await h.database.prisma.house.count()).toBe(0);
  }

  it("a forged signature gets 401 and the command never runs", async () => {
    const response = await postSigned(h.eventsUrl, "slash_commands", setup(), { secret: SIGNING_SECRET, forgeSignature: true });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it("a correctly signed request replayed ten minutes later gets 401", async () => {
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const response = await postSigned(h.eventsUrl, "slash_commands", setup(), { secret: SIGNING_SECRET, timestamp: tenMinutesAgo });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it("an unsigned request gets 401", async () => {
    const { body, contentType } = encode("slash_commands", setup());
    const response = await fetch(h.eventsUrl, { method: "POST", headers: { "content-type": contentType }, body });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it("the same request properly signed is acknowledged with an empty 200 and answered", async () => {
    const response = await postSigned(h.eventsUrl, "slash_commands", setup(), { secret: SIGNING_SECRET });
    expect(response).toEqual({ status: 200, body: "" });
    await h.double.waitForResponse((post) => JSON.stringify(post.body).includes("Welcome to"));
  });

  it("stopping the bot lets work already acknowledged finish before the database closes", async () => {
    h.double.delay("users.info", 300);
    const help = payloads.slashCommand(
      { teamId: TEAM, userId: people.sam.userId, userName: people.sam.userName },
      { command: "help", text: "", channelId: "CHOUSE", channelName: "house", responseUrl: h.double.responseUrl() },
    );
    const response = await postSigned(h.eventsUrl, "slash_commands", help, { secret: SIGNING_SECRET });
    expect(response.status).toBe(200);
    expect(h.double.responses).toHaveLength(1);
    await h.app.stop();
    expect(h.double.responses).toHaveLength(2);
  });
});

describe("starting with a token Slack refuses", () => {
  it.each(["socket", "http"] as const)("%s mode: start() fails with Slack's reason instead of half-starting", async (mode) => {
    const double = await SlackDouble.start();
    double.fail("auth.test", { error: "invalid_auth" });
    const adapter = createSlackAdapter(
      { botToken: "xoxb-revoked", appToken: "xapp-test", signingSecret: SIGNING_SECRET, apiUrl: double.apiUrl, mode },
      captureLogger().logger,
      { port: 0, retryConfig: { retries: 0 } },
    );
    try {
      await expect(adapter.start({ handle: async () => {}, formFor: () => null })).rejects.toThrow(/invalid_auth/);
      expect(double.callsTo("apps.connections.open")).toHaveLength(0);
      expect(adapter.listeningPort).toBeNull();
    } finally {
      await adapter.stop();
      await double.close();
    }
  });
});
