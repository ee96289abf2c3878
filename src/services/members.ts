import { randomUUID } from "node:crypto";
import type { HouseView, MemberView, Role } from "../core/command.ts";
import type { Directory } from "../core/dispatch.ts";
import type { Actor, Platform } from "../core/events.ts";
import type { Member } from "../generated/prisma/client.ts";
import { recordAudit } from "./audit.ts";
import { PLACEHOLDER_NAME_PREFIX } from "./buddies/intake.ts";
import { reschedule } from "./checkins/schedule.ts";
import type { ServiceDeps } from "./deps.ts";
import { memberView } from "./views.ts";

export type StaffChangeResult =
  | { outcome: "changed"; member: MemberView; previous: Role }
  | { outcome: "unchanged"; member: MemberView }
  | { outcome: "refused"; reason: "unknown_member" | "last_admin" | "self_demotion" | "is_bot" };

interface AdmittedRow {
  firstSighting: boolean;
  houseId: string | null;
  houseName: string | null;
  houseTimezone: string | null;
  houseCountry: string | null;
  memberId: string | null;
  displayName: string | null;
  role: string | null;
  peerRole: string | null;
  status: string | null;
  timezone: string | null;
  timezoneSource: string | null;
}

export function createMemberService(deps: ServiceDeps) {
  const { db, clock } = deps;

  /**
   * The member record for someone the bot has never seen. Inserted with ON CONFLICT DO NOTHING
   * (two first events from one person may race) and read back, rather than upserted: an upsert
   * costs a transaction and three statements on every event, where almost every event is from
   * someone already known.
   */
  async function firstContact(houseId: string, actor: Actor) {
    await db.member.createMany({
      data: [
        {
          houseId,
          platformUserId: actor.userId,
          displayName: actor.displayName.slice(0, 80),
          isBot: actor.isBot ?? false,
          timezone: actor.timezone ?? null,
          timezoneSource: actor.timezone ? "platform" : null,
        },
      ],
      skipDuplicates: true,
    });
    return db.member.findUniqueOrThrow({ where: { houseId_platformUserId: { houseId, platformUserId: actor.userId } } });
  }

  return {
    async byId(memberId: string) {
      return db.member.findUnique({ where: { id: memberId } });
    },

    async byPlatformUser(houseId: string, platformUserId: string) {
      return db.member.findUnique({ where: { houseId_platformUserId: { houseId, platformUserId } } });
    },

    /** Workspaces of the houses this person belongs to (not discharged from), oldest house first. */
    async houseWorkspacesOf(platform: Platform, platformUserId: string): Promise<string[]> {
      // One statement: asked on every DM a Discord resident sends or presses.
      const houses = await db.$queryRaw<Array<{ workspaceId: string }>>`
        SELECT h."workspaceId" FROM "Member" m JOIN "House" h ON h.id = m."houseId"
        WHERE m."platformUserId" = ${platformUserId} AND m.status <> 'discharged'::"MemberStatus" AND h.platform = ${platform}::"Platform"
        ORDER BY h."createdAt", h.id`;
      return houses.map((h) => h.workspaceId);
    },

    async counsellors(houseId: string) {
      return db.member.findMany({
        where: { houseId, role: { in: ["counsellor", "admin"] }, status: { not: "discharged" } },
        orderBy: { displayName: "asc" },
      });
    },

    /**
     * Records the platform's event id and finds the house and member it comes from, creating the
     * member on first contact as a resident who has not yet agreed to anything. Null when the
     * event id was seen before (a replay or a retry), and nothing else is done.
     */
    async admit(actor: Actor, eventId: string): Promise<{ house: HouseView | null; member: MemberView | null } | null> {
      // One raw statement before every event: the sighting (ON CONFLICT DO NOTHING, as driver
      // adapters do not all map unique violations to P2002), the house and the member. Separate
      // queries cost a statement each, and each model query a query compilation in Prisma too.
      const [row] = await db.$queryRaw<AdmittedRow[]>`
        WITH sighting AS (
          INSERT INTO "InboundEvent" (id, platform, "eventId", "receivedAt")
          VALUES (${randomUUID()}, ${actor.platform}::"Platform", ${eventId.slice(0, 200)}, ${clock.now()})
          ON CONFLICT (platform, "eventId") DO NOTHING
          RETURNING 1
        )
        SELECT EXISTS (SELECT 1 FROM sighting) AS "firstSighting",
          h.id AS "houseId", h.name AS "houseName", h.timezone AS "houseTimezone", h.country AS "houseCountry",
          m.id AS "memberId", m."displayName", m.role::text AS role, m."peerRole"::text AS "peerRole",
          m.status::text AS status, m.timezone, m."timezoneSource"
        FROM (SELECT 1) AS event
        LEFT JOIN "House" h ON h.platform = ${actor.platform}::"Platform" AND h."workspaceId" = ${actor.workspaceId}
        LEFT JOIN "Member" m ON m."houseId" = h.id AND m."platformUserId" = ${actor.userId}`;
      if (!row?.firstSighting) return null;
      if (row.houseId === null) return { house: null, member: null };
      const house: HouseView = {
        id: row.houseId,
        name: row.houseName as string,
        timezone: row.houseTimezone as string,
        country: row.houseCountry as string,
        platform: actor.platform,
        workspaceId: actor.workspaceId,
      };
      const member =
        row.memberId === null
          ? await firstContact(house.id, actor)
          : {
              id: row.memberId,
              houseId: house.id,
              displayName: row.displayName as string,
              role: row.role as Member["role"],
              peerRole: row.peerRole as Member["peerRole"],
              status: row.status as Member["status"],
              timezone: row.timezone,
              timezoneSource: row.timezoneSource,
            };
      // Someone taken in by /intake before they ever spoke has a placeholder name until now.
      if (member.displayName.startsWith(PLACEHOLDER_NAME_PREFIX) && !actor.displayName.startsWith(PLACEHOLDER_NAME_PREFIX)) {
        member.displayName = (
          await db.member.update({ where: { id: member.id }, data: { displayName: actor.displayName.slice(0, 80) } })
        ).displayName;
      }
      // Slack reports each person's zone; follow it unless they chose one themselves with /schedule.
      if (actor.timezone && member.timezoneSource !== "member" && member.timezone !== actor.timezone) {
        await db.$transaction(async (tx) => {
          await tx.member.update({ where: { id: member.id }, data: { timezone: actor.timezone, timezoneSource: "platform" } });
          await reschedule(tx, member.id, clock.now());
        });
      }
      return { house, member: memberView(member) };
    },

    /** Grants or removes a staff role. Authorisation is the caller's (admins only), checked again here for the last admin. */
    async setStaffRole(houseId: string, actorId: string, platformUserId: string, role: Role): Promise<StaffChangeResult> {
      return db.$transaction(async (tx) => {
        const target = await tx.member.findUnique({ where: { houseId_platformUserId: { houseId, platformUserId } } });
        if (!target) return { outcome: "refused", reason: "unknown_member" } as const;
        if (target.isBot) return { outcome: "refused", reason: "is_bot" } as const;
        if (target.role === role) return { outcome: "unchanged", member: memberView(target) } as const;
        if (target.role === "admin" && role !== "admin") {
          if (target.id === actorId) return { outcome: "refused", reason: "self_demotion" } as const;
          const admins = await tx.member.count({ where: { houseId, role: "admin", status: { not: "discharged" } } });
          if (admins <= 1) return { outcome: "refused", reason: "last_admin" } as const;
        }
        const updated = await tx.member.update({
          where: { id: target.id },
          data: { role, status: target.status === "invited" && role !== "resident" ? "active" : target.status },
        });
        await recordAudit(tx, {
          houseId,
          actorId,
          action: "member.role_changed",
          subjectId: target.id,
          details: { from: target.role, to: role },
          at: clock.now(),
        });
        return { outcome: "changed", member: memberView(updated), previous: target.role } as const;
      });
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;

/** The dispatcher's Directory port, backed by the database. */
export function createDirectory(members: MemberService): Directory {
  return { admit: (actor, eventId) => members.admit(actor, eventId) };
}
