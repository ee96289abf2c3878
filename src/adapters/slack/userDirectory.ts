import type { webApi } from "@slack/bolt";
import type { Actor } from "../../core/events.ts";
import type { Logger } from "../../core/ports.ts";

/** What users.info tells us about a person, and what an Actor needs from it. */
export interface SlackPerson {
  displayName: string;
  isWorkspaceAdmin: boolean;
  isBot: boolean;
  timezone?: string;
}

/**
 * users.info answers, kept for a few minutes: every click would otherwise cost a Web API call
 * (users.info is rate-limited to about 100 a minute per workspace), while a promotion to
 * workspace admin or a new time zone still shows up soon.
 */
export class SlackUserDirectory {
  private readonly cache = new Map<string, { person: SlackPerson; until: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(client: webApi.WebClient, teamId: string, userId: string): Promise<SlackPerson | null> {
    const key = `${teamId}:${userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.person;
    try {
      const { user } = await client.users.info({ user: userId });
      if (!user) return null;
      const person: SlackPerson = {
        displayName: user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || userId,
        isWorkspaceAdmin: user.is_admin === true || user.is_owner === true || user.is_primary_owner === true,
        isBot: user.is_bot === true,
        ...(user.tz?.includes("/") ? { timezone: user.tz } : {}),
      };
      this.cache.set(key, { person, until: this.now() + this.ttlMs });
      if (this.cache.size > 5_000) this.cache.delete(this.cache.keys().next().value ?? key);
      return person;
    } catch (error) {
      // Not fatal: the person is treated as a non-admin without a zone until the next try.
      this.logger.warn({ err: (error as Error).message, userId }, "slack users.info failed");
      return null;
    }
  }

  async actor(client: webApi.WebClient, base: Actor): Promise<Actor> {
    const person = await this.lookup(client, base.workspaceId, base.userId);
    if (!person) return base;
    return {
      ...base,
      displayName: person.displayName,
      isWorkspaceAdmin: person.isWorkspaceAdmin,
      isBot: person.isBot,
      ...(person.timezone ? { timezone: person.timezone } : {}),
    };
  }
}
