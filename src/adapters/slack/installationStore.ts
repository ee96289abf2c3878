import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { Db } from "../../db/client.ts";
import type { TextCipher } from "../../db/crypto.ts";

/**
 * Where one deployment keeps the bot tokens of every workspace that installed it through OAuth.
 * The whole installation JSON is encrypted (it holds the bot token, and the user token if one
 * was granted); only the ids used to find it stay readable.
 */

/** An org-wide (Enterprise Grid) install serves every workspace of the org; any other install is its workspace's own. */
export function installationKey(query: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  if (query.isEnterpriseInstall) {
    if (!query.enterpriseId) throw new Error("an org-wide Slack installation needs an enterprise id");
    return `enterprise:${query.enterpriseId}`;
  }
  if (!query.teamId) throw new Error("a Slack installation needs a team id");
  return `team:${query.teamId}`;
}

export class NoInstallationError extends Error {}

export class PrismaInstallationStore implements InstallationStore {
  constructor(
    private readonly db: Db,
    private readonly cipher: TextCipher,
  ) {}

  async storeInstallation<AuthVersion extends "v1" | "v2">(installation: Installation<AuthVersion, boolean>): Promise<void> {
    const installKey = installationKey({
      isEnterpriseInstall: installation.isEnterpriseInstall,
      enterpriseId: installation.enterprise?.id,
      teamId: installation.team?.id,
    });
    const row = {
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      dataCipher: this.cipher.encrypt(JSON.stringify(installation)),
    };
    await this.db.slackInstallation.upsert({ where: { installKey }, create: { installKey, ...row }, update: row });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<"v1" | "v2", boolean>> {
    const installKey = installationKey(query);
    const row = await this.db.slackInstallation.findUnique({ where: { installKey } });
    // Bolt expects a throw: it then refuses the event instead of acting without a token.
    if (!row) throw new NoInstallationError(`no Slack installation for ${installKey}`);
    return JSON.parse(this.cipher.decrypt(row.dataCipher)) as Installation<"v1" | "v2", boolean>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.db.slackInstallation.deleteMany({ where: { installKey: installationKey(query) } });
  }

  /** The bot token for a workspace, for sends the outbox makes outside any Slack request. */
  async botToken(teamId: string): Promise<string> {
    const installation = await this.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    if (!installation.bot?.token) throw new NoInstallationError(`the Slack installation for team:${teamId} has no bot token`);
    return installation.bot.token;
  }
}
