import type { Installation } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installationKey, NoInstallationError, PrismaInstallationStore } from "../../../src/adapters/slack/installationStore.ts";
import type { Database } from "../../../src/db/client.ts";
import { createTestDatabase } from "../../support/db.ts";
import { testCipher } from "../../support/testApp.ts";

function workspaceInstall(teamId: string, token: string): Installation<"v2", false> {
  return {
    team: { id: teamId, name: "Oak House" },
    enterprise: undefined,
    user: { id: "UINSTALLER", token: "xoxp-user-secret", scopes: ["identify"] },
    bot: { token, scopes: ["chat:write"], id: "B1", userId: "UBOT" },
    appId: "A1",
    tokenType: "bot",
    isEnterpriseInstall: false,
    authVersion: "v2",
  };
}

describe("Slack installations are kept in the database, encrypted", () => {
  let database: Database;
  let store: PrismaInstallationStore;
  const query = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false as const });

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PrismaInstallationStore(database.prisma, testCipher);
  });
  afterAll(async () => {
    await database.close();
  });

  it("an installation comes back as it was stored", async () => {
    await store.storeInstallation(workspaceInstall("T1", "xoxb-first-secret"));
    expect(await store.fetchInstallation(query("T1"))).toEqual(workspaceInstall("T1", "xoxb-first-secret"));
    expect(await store.botToken("T1")).toBe("xoxb-first-secret");
  });

  it("at rest the row holds no token, only the ids needed to find it", async () => {
    const row = await database.prisma.slackInstallation.findUniqueOrThrow({ where: { installKey: "team:T1" } });
    expect(row.teamId).toBe("T1");
    expect(row.dataCipher).toMatch(/^v1:/);
    expect(row.dataCipher).not.toMatch(/xox[bp]-|secret/);
  });

  it("reinstalling replaces the token instead of adding a second row", async () => {
    await store.storeInstallation(workspaceInstall("T1", "xoxb-second-secret"));
    expect(await database.prisma.slackInstallation.count({ where: { teamId: "T1" } })).toBe(1);
    expect(await store.botToken("T1")).toBe("xoxb-second-secret");
  });

  it("an org-wide install is found by its enterprise, for every workspace in it", async () => {
    const org: Installation<"v2", true> = {
      team: undefined,
      enterprise: { id: "E1", name: "Recovery Org" },
      user: { id: "UADMIN", token: undefined, scopes: undefined },
      bot: { token: "xoxb-org-secret", scopes: ["chat:write"], id: "B2", userId: "UBOT2" },
      isEnterpriseInstall: true,
      authVersion: "v2",
    };
    await store.storeInstallation(org);
    const found = await store.fetchInstallation({ teamId: undefined, enterpriseId: "E1", isEnterpriseInstall: true });
    expect(found.bot?.token).toBe("xoxb-org-secret");
    expect(installationKey({ isEnterpriseInstall: true, enterpriseId: "E1", teamId: "T9" })).toBe("enterprise:E1");
  });

  it("a workspace that never installed, or uninstalled, has no token", async () => {
    await expect(store.fetchInstallation(query("T404"))).rejects.toBeInstanceOf(NoInstallationError);
    await store.deleteInstallation(query("T1"));
    await expect(store.botToken("T1")).rejects.toBeInstanceOf(NoInstallationError);
  });

  it("a row encrypted with another key cannot be read", async () => {
    const { createTextCipher } = await import("../../../src/db/crypto.ts");
    const other = new PrismaInstallationStore(database.prisma, createTextCipher(Buffer.alloc(32, 9).toString("base64")));
    await store.storeInstallation(workspaceInstall("T2", "xoxb-third-secret"));
    await expect(other.fetchInstallation(query("T2"))).rejects.toThrow();
  });
});
