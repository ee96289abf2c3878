import { IANAZone } from "luxon";
import type { HouseView } from "../core/command.ts";
import type { Actor } from "../core/events.ts";
import { type HouseSettings, houseSettingsSchema, readHouseSettings } from "../domain/houseSettings.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { recordAudit } from "./audit.ts";
import type { ServiceDeps } from "./deps.ts";
import { houseView, memberView } from "./views.ts";

export const SUPPORTED_COUNTRIES = ["GB", "US", "IE", "CA", "AU"] as const;
export type Country = (typeof SUPPORTED_COUNTRIES)[number];

export interface SetupInput {
  name?: string;
  timezone?: string;
  country?: Country;
  houseChannelId?: string;
  staffChannelId?: string;
}

export type SetupResult =
  | { outcome: "created"; house: HouseView }
  | { outcome: "updated"; house: HouseView; changed: string[] }
  | { outcome: "refused"; reason: "not_workspace_admin" | "not_house_admin" };

export function createHouseService(deps: ServiceDeps) {
  const { db, clock } = deps;

  return {
    async findByWorkspace(platform: Actor["platform"], workspaceId: string) {
      return db.house.findUnique({ where: { platform_workspaceId: { platform, workspaceId } } });
    },

    async settings(houseId: string): Promise<HouseSettings> {
      const house = await db.house.findUniqueOrThrow({ where: { id: houseId } });
      return readHouseSettings(house.settings);
    },

    /**
     * Creates the house on first use, or changes its basics. The first person must own or
     * administer the server on the platform, and becomes the house's admin; after that only
     * the house's admins (from our own database) may change it.
     */
    async setup(actor: Actor, input: SetupInput, workspaceName?: string): Promise<SetupResult> {
      if (input.timezone && !IANAZone.isValidZone(input.timezone)) throw new Error("invalid zone reached the service");
      return db.$transaction(async (tx) => {
        const now = clock.now();
        const existing = await tx.house.findUnique({
          where: { platform_workspaceId: { platform: actor.platform, workspaceId: actor.workspaceId } },
        });
        if (!existing) {
          if (!actor.isWorkspaceAdmin) return { outcome: "refused", reason: "not_workspace_admin" } as const;
          const house = await tx.house.create({
            data: {
              platform: actor.platform,
              workspaceId: actor.workspaceId,
              name: input.name ?? workspaceName ?? "Our house",
              timezone: input.timezone ?? deps.defaultTimezone,
              country: input.country ?? (input.timezone?.startsWith("America/") ? "US" : "GB"),
              houseChannelId: input.houseChannelId ?? null,
              staffChannelId: input.staffChannelId ?? null,
              settings: houseSettingsSchema.parse({}) as unknown as Prisma.InputJsonValue,
            },
          });
          const admin = await tx.member.upsert({
            where: { houseId_platformUserId: { houseId: house.id, platformUserId: actor.userId } },
            create: {
              houseId: house.id,
              platformUserId: actor.userId,
              displayName: actor.displayName,
              role: "admin",
              status: "active",
              timezone: actor.timezone ?? null,
            },
            update: { role: "admin", status: "active" },
          });
          await recordAudit(tx, {
            houseId: house.id,
            actorId: admin.id,
            action: "house.created",
            details: { timezone: house.timezone, country: house.country },
            at: now,
          });
          return { outcome: "created", house: houseView(house) } as const;
        }
        const member = await tx.member.findUnique({
          where: { houseId_platformUserId: { houseId: existing.id, platformUserId: actor.userId } },
        });
        if (!member || memberView(member).role !== "admin") return { outcome: "refused", reason: "not_house_admin" } as const;
        const wanted = {
          name: input.name,
          timezone: input.timezone,
          country: input.country,
          houseChannelId: input.houseChannelId,
          staffChannelId: input.staffChannelId,
        } as const;
        const data: Record<string, string> = {};
        for (const [key, value] of Object.entries(wanted)) {
          if (value && value !== existing[key as keyof typeof wanted]) data[key] = value;
        }
        const changed = Object.keys(data);
        const house = changed.length
          ? await tx.house.update({
              where: { id: existing.id },
              // A new zone moves the house's daily instants: the next sweep works them out again.
              data: { ...data, nextDigestAt: null, nextMeetingsPostAt: null } as Prisma.HouseUpdateInput,
            })
          : existing;
        if (changed.length) {
          await recordAudit(tx, { houseId: house.id, actorId: member.id, action: "house.settings_changed", details: { changed }, at: now });
        }
        return { outcome: "updated", house: houseView(house), changed } as const;
      });
    },
  };
}

export type HouseService = ReturnType<typeof createHouseService>;
