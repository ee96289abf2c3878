import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCommand, reply } from "../../../src/core/command.ts";
import { createDispatcher } from "../../../src/core/dispatch.ts";
import { message } from "../../../src/core/message.ts";
import { opt } from "../../../src/core/options.ts";
import { createDirectory } from "../../../src/services/members.ts";
import { textOf } from "../../support/fakeChat.ts";
import { createTestApp, setUpHouse, type TestApp } from "../../support/testApp.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("a new server meets the bot", () => {
  it("before setup, commands explain how to start and nobody becomes a member", async () => {
    const answer = await t.chat.command("riley", "help");
    expect(textOf(answer)).toMatch(/type \/setup/);
    expect(await t.database.prisma.member.count()).toBe(0);
  });

  it("someone who does not run the server cannot create the house", async () => {
    const answer = await t.chat.command("riley", "setup", "timezone:Europe/London");
    expect(textOf(answer)).toMatch(/Only the owner or an administrator of this server/);
    expect(await t.database.prisma.house.count()).toBe(0);
  });

  it("the server's owner creates it and becomes the house admin", async () => {
    const house = await setUpHouse(t);
    expect(house.timezone).toBe("Europe/London");
    expect(house.staffChannelId).toBe("staff");
    const owner = await t.app.services.members.byPlatformUser(house.id, "owner");
    expect(owner?.role).toBe("admin");
    const audit = await t.database.prisma.auditLog.findMany({ where: { houseId: house.id } });
    expect(audit.map((a) => a.action)).toContain("house.created");
  });

  it("a platform admin who is not a house admin cannot change it afterwards", async () => {
    const answer = await t.chat.command("other-admin", "setup", "timezone:America/New_York", { isWorkspaceAdmin: true });
    expect(textOf(answer)).toMatch(/Only the house's admins/);
    const house = await t.app.services.houses.findByWorkspace("discord", "workspace-1");
    expect(house?.timezone).toBe("Europe/London");
  });
});

describe("roles come from our database, not the platform", () => {
  it("a resident cannot add staff, and /help does not offer it to them", async () => {
    await t.chat.command("sam", "help");
    const refused = await t.chat.command("sam", "staff", "add @jo counsellor");
    expect(textOf(refused)).toMatch(/\/staff is for house admins/);
    const help = textOf(await t.chat.command("sam", "help"));
    expect(help).not.toMatch(/\/staff|\/setup/);
  });

  it("an admin makes a counsellor; the change is audited", async () => {
    await t.chat.command("jo", "help");
    const answer = await t.chat.command("owner", "staff", "add @jo counsellor");
    expect(textOf(answer)).toBe("jo is now a counsellor.");
    const house = await t.app.services.houses.findByWorkspace("discord", "workspace-1");
    const jo = await t.app.services.members.byPlatformUser(house?.id ?? "", "jo");
    expect(jo?.role).toBe("counsellor");
    const changes = await t.database.prisma.auditLog.findMany({ where: { action: "member.role_changed", subjectId: jo?.id } });
    expect(changes).toHaveLength(1);
  });

  it("a platform administrator who is only a resident here is still refused", async () => {
    const answer = await t.chat.command("sam", "staff", "add @jo admin", { isWorkspaceAdmin: true });
    expect(textOf(answer)).toMatch(/\/staff is for house admins/);
  });

  it("the last admin cannot be removed, and nobody can remove their own admin role", async () => {
    expect(textOf(await t.chat.command("owner", "staff", "remove @owner"))).toMatch(/can't remove your own admin role/);
    await t.chat.command("owner", "staff", "add @jo admin");
    expect(textOf(await t.chat.command("jo", "staff", "remove @owner"))).toMatch(/no longer an admin/);
    expect(textOf(await t.chat.command("owner", "staff", "add @sam"))).toMatch(/\/staff is for house admins/);
  });

  it("bad options get a clear message with the usage line, and nothing changes", async () => {
    const answer = await t.chat.command("jo", "staff", "promote @sam");
    expect(textOf(answer)).toMatch(/action should be one of: add, remove/);
    expect(textOf(answer)).toMatch(/Usage: \/staff <add\|remove> <@user> \[counsellor\|admin\]/);
    expect(textOf(await t.chat.command("jo", "staff", "add"))).toMatch(/user should mention a person/);
    expect(textOf(await t.chat.command("jo", "nonsense"))).toMatch(/I don't know \/nonsense/);
  });

  it("mentioning someone the bot has never met asks them to say hello first", async () => {
    expect(textOf(await t.chat.command("jo", "staff", "add @stranger counsellor"))).toMatch(/I don't know that person yet/);
  });
});

describe("replays and failures", () => {
  it("an event the platform delivers twice is handled once", async () => {
    const event = {
      kind: "command" as const,
      command: "help",
      input: { text: "" },
      eventId: "replayed-1",
      actor: t.chat.actor("sam"),
      conversation: { channelId: "dm-sam", isDirect: true },
    };
    const first = await t.chat.send(event);
    const second = await t.chat.send(event);
    expect(first.replies).toHaveLength(1);
    expect(second.replies).toHaveLength(0);
  });

  it("a command that throws becomes a short apology with a reference, and the error is logged without the resident's words", async () => {
    const services = t.app.services;
    const failing = defineCommand<typeof services, z.ZodObject>({
      name: "explode",
      description: "fails",
      access: ["resident", "counsellor", "admin"],
      options: z.object({ note: opt.text("a note", 200, true) }),
      async run() {
        throw new Error("database went away");
      },
    });
    const working = defineCommand<typeof services, z.ZodObject>({
      name: "fine",
      description: "works",
      access: ["resident"],
      options: z.object({}),
      async run() {
        return [reply(message("all good"))];
      },
    });
    const dispatcher = createDispatcher({
      registry: { commands: [failing, working], actions: [], forms: [], directText: [] },
      directory: createDirectory(services.members),
      services,
      clock: t.clock,
      logger: t.logs.logger,
    });
    const replies = await dispatcher.dispatch({
      kind: "command",
      command: "explode",
      input: { text: "my secret note about cravings" },
      eventId: "explode-1",
      actor: t.chat.actor("sam"),
      conversation: { channelId: "dm-sam", isDirect: true },
    });
    const text = textOf(replies.map((r) => (r.kind === "form" ? message("") : r.message)));
    const ref = /reference ([0-9A-F]{8})/.exec(text)?.[1];
    expect(ref).toBeDefined();
    const logged = t.logs.entries().find((e) => e.ref === ref);
    expect(logged?.msg).toBe("inbound event failed");
    expect(t.logs.lines().join("\n")).not.toContain("secret note");
    const after = await dispatcher.dispatch({
      kind: "command",
      command: "fine",
      input: { text: "" },
      eventId: "fine-1",
      actor: t.chat.actor("sam"),
      conversation: { channelId: "dm-sam", isDirect: true },
    });
    expect(after).toHaveLength(1);
  });

  it("events from bots are ignored", async () => {
    const answer = await t.chat.command("some-bot", "help", "", { isBot: true });
    expect(answer.replies).toHaveLength(0);
  });
});

describe("house settings", () => {
  it("an admin sees the escalation policy and changes a threshold; bad values are explained and nothing changes", async () => {
    const shown = textOf(await t.chat.command("jo", "settings"));
    expect(shown).toMatch(/Escalation: 0: peer \(15 min; low\); 1: keyCounsellor/);
    expect(shown).toMatch(/critical 5 min; 3 loops; re-trigger after 240 min/);
    expect(textOf(await t.chat.command("jo", "settings", "cravingthreshold 7"))).toMatch(/craving alert at 7\+/);
    expect(textOf(await t.chat.command("jo", "settings", "cravingThreshold 11"))).toMatch(/Not changed: cravingThreshold/);
    expect(textOf(await t.chat.command("jo", "settings", "escalation.loops 0"))).toMatch(/Not changed/);
    const house = await t.app.services.houses.findByWorkspace("discord", "workspace-1");
    expect((await t.app.services.houses.settings(house?.id ?? "")).cravingThreshold).toBe(7);
    expect(textOf(await t.chat.command("sam", "settings", "cravingThreshold 1"))).toMatch(/for house admins/);
  });
});
