import { type HouseSettings, houseSettingsSchema, readHouseSettings } from "../domain/houseSettings.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { recordAudit } from "./audit.ts";
import type { ServiceDeps } from "./deps.ts";

/** The settings an admin can change by name, with how to read the typed value. */
export const CHANGEABLE_SETTINGS = {
  checkinTime: "time",
  reminderAfterMinutes: "number",
  windowMinutes: "number",
  cravingThreshold: "number",
  missedBeforeAlert: "number",
  milestonesInHouseChannel: "boolean",
  meetingReminderMinutes: "number",
  dailyMeetingsPost: "boolean",
  digestTime: "time",
  digestToStaffChannel: "boolean",
  regulatedMode: "boolean",
  notesInAlertDms: "boolean",
  retentionDays: "number",
  buddyMinDays: "number",
  buddyCapacity: "number",
  seniorPeerCapacity: "number",
  pairingDays: "number",
  autoConfirmBuddy: "boolean",
  "escalation.levelTimeoutMinutes": "number",
  "escalation.criticalTimeoutMinutes": "number",
  "escalation.loops": "number",
  "escalation.retriggerAfterMinutes": "number",
} as const;

export type SettingName = keyof typeof CHANGEABLE_SETTINGS;

function coerce(kind: (typeof CHANGEABLE_SETTINGS)[SettingName], raw: string): unknown {
  const value = raw.trim().toLowerCase();
  if (kind === "number") return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (kind === "boolean") return ["on", "yes", "true"].includes(value) ? true : ["off", "no", "false"].includes(value) ? false : value;
  return raw.trim();
}

export type SettingChange = { outcome: "changed"; settings: HouseSettings } | { outcome: "invalid"; reason: string };

export function createHouseSettingsChange(deps: ServiceDeps) {
  return {
    /** Changes one setting after validating the whole settings object; alerts already open keep their policy. */
    async change(houseId: string, actorId: string, name: SettingName, raw: string): Promise<SettingChange> {
      return deps.db.$transaction(async (tx) => {
        const house = await tx.house.findUniqueOrThrow({ where: { id: houseId } });
        const current = readHouseSettings(house.settings);
        const value = coerce(CHANGEABLE_SETTINGS[name], raw);
        const next: HouseSettings = structuredClone(current);
        if (name === "escalation.levelTimeoutMinutes") {
          next.escalation.levels = next.escalation.levels.map((level) => ({ ...level, timeoutMinutes: value as number }));
        } else if (name.startsWith("escalation.")) {
          (next.escalation as Record<string, unknown>)[name.slice("escalation.".length)] = value;
        } else {
          (next as Record<string, unknown>)[name] = value;
        }
        const parsed = houseSettingsSchema.safeParse(next);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return {
            outcome: "invalid",
            reason: `${name} ${issue?.message ?? "is not valid"}`.replace(/Too (big|small): expected number to be/, "must be"),
          } as const;
        }
        // The digest, the daily post and meeting reminders are due at instants worked out from the
        // settings: clearing them has the next sweep work them out again from the new ones.
        await tx.house.update({
          where: { id: houseId },
          data: { settings: parsed.data as unknown as Prisma.InputJsonValue, nextDigestAt: null, nextMeetingsPostAt: null },
        });
        await tx.meeting.updateMany({ where: { houseId }, data: { nextReminderAt: null, nextFollowUpAt: null } });
        await recordAudit(tx, {
          houseId,
          actorId,
          action: "house.settings_changed",
          details: { setting: name, from: JSON.stringify(current[name as keyof HouseSettings] ?? null), to: raw.slice(0, 40) },
          at: deps.clock.now(),
        });
        return { outcome: "changed", settings: parsed.data } as const;
      });
    },
  };
}
