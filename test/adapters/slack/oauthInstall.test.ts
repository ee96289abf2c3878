import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaInstallationStore } from "../../../src/adapters/slack/installationStore.ts";
import { message } from "../../../src/core/message.ts";
import type { Database } from "../../../src/db/client.ts";
import { enqueue } from "../../../src/outbox/enqueue.ts";
import { createTestDatabase } from "../../support/db.ts";
import * as payloads from "../../support/slackDouble/payloads.ts";
import { testCipher } from "../../support/testApp.ts";
import { people, SlackHarness } from "./harness.ts";

/**
 * One deployment, many houses: a workspace installs the app through OAuth, its bot token is
 * kept encrypted in the database, and both its requests and the outbox's sends use that token.
 */
describe("a second house installs the app through OAuth (HTTP mode)", () => {
  let h: SlackHarness;
  let database: Database;
  const installed = { teamId: "TINSTALLED", userId: people.owner.userId, userName: people.owner.userName };

  beforeAll(async () => {
    database = await createTestDatabase();
    h = await SlackHarness.start("http", {
      database,
      oauth: {
        clientId: "1234.5678",
        clientSecret: "client-secret",
        stateSecret: "state-secret",
        installationStore: new PrismaInstallationStore(database.prisma, testCipher),
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  const base = () => `http://127.0.0.1:${h.adapter.listeningPort}`;

  it("the install page, then Slack's redirect back, store the workspace's token encrypted", async () => {
    const page = await fetch(`${base()}/slack/install`);
    expect(page.status).toBe(200);
    const link = /<a href="([^"]+)"/.exec(await page.text())?.[1]?.replace(/&amp;/g, "&") ?? "";
    const authorize = new URL(link);
    expect(authorize.searchParams.get("client_id")).toBe("1234.5678");
    expect(authorize.searchParams.get("scope")).toContain("chat:write");
    const state = authorize.searchParams.get("state") ?? "";
    const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

    const back = await fetch(`${base()}/slack/oauth_redirect?code=abc&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(back.status).toBe(200);

    const row = await database.prisma.slackInstallation.findUniqueOrThrow({ where: { installKey: "team:TINSTALLED" } });
    expect(row.teamId).toBe("TINSTALLED");
    expect(row.dataCipher).not.toContain("xoxb-installed-abc");
    expect(testCipher.decrypt(row.dataCipher)).toContain("xoxb-installed-abc");
  });

  it("a command from that workspace is handled with its own token", async () => {
    await h.send(
      "slash_commands",
      payloads.slashCommand(installed, {
        command: "setup",
        text: "timezone:Europe/Dublin country:ie",
        channelId: "CHOUSE2",
        channelName: "house",
        responseUrl: h.double.responseUrl(),
      }),
    );
    await h.double.waitForResponse((post) => JSON.stringify(post.body).includes("Welcome to"));
    const lookup = h.double.callsTo("users.info").at(-1);
    expect(lookup?.token).toBe("xoxb-installed-abc");
    const house = await h.app.services.houses.findByWorkspace("slack", "TINSTALLED");
    expect(house?.timezone).toBe("Europe/Dublin");
  });

  it("the outbox sends to that workspace with its token, and a workspace without an install is refused for good", async () => {
    const house = await h.app.services.houses.findByWorkspace("slack", "TINSTALLED");
    const owner = await h.app.services.members.byPlatformUser(house?.id ?? "", people.owner.userId);
    if (!house || !owner) throw new Error("setup did not create the house");
    await enqueue(database.prisma, [
      {
        idempotencyKey: "oauth:1",
        houseId: house.id,
        lane: "interactive",
        message: message("Welcome aboard."),
        targetMemberId: owner.id,
        notBefore: h.clock.now(),
      },
    ]);
    await h.deliver();
    const posted = await h.double.waitForCall("chat.postMessage", (call) => JSON.stringify(call.args).includes("Welcome aboard"));
    expect(posted.token).toBe("xoxb-installed-abc");

    await new PrismaInstallationStore(database.prisma, testCipher).deleteInstallation({
      teamId: "TINSTALLED",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    await enqueue(database.prisma, [
      {
        idempotencyKey: "oauth:2",
        houseId: house.id,
        lane: "interactive",
        message: message("Still there?"),
        targetMemberId: owner.id,
        notBefore: h.clock.now(),
      },
    ]);
    await h.deliver();
    const row = await database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "oauth:2" } });
    expect(row.status).toBe("dead");
    // Our missing token says nothing about the person: they stay reachable.
    expect((await h.app.services.members.byId(owner.id))?.reachable).toBe(true);
  });
});
