import { z } from "zod";

/**
 * A house's settings, stored as JSON on the House row. Every field has a default, so an old
 * row or a partial update always reads back as a complete, valid settings object.
 */

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export const escalationLevelSchema = z.object({
  /** buddy (or on-duty senior peer), key counsellor, on-duty counsellors, all counsellors + staff channel */
  target: z.enum(["peer", "keyCounsellor", "onDutyCounsellors", "allCounsellorsAndStaffChannel"]),
  timeoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Severities this level handles; peers only ever see low-severity alerts. */
  severities: z.array(z.enum(["low", "medium", "high", "critical"])).min(1),
});

export const escalationPolicySchema = z.object({
  levels: z.array(escalationLevelSchema).min(1).max(6),
  /** Timeout for critical alerts at every level, overriding the level's own. */
  criticalTimeoutMinutes: z.number().int().min(1).max(120),
  /** How many times the whole ladder is walked before the alert stops escalating. */
  loops: z.number().int().min(1).max(10),
  /** An acknowledged but unresolved alert starts escalating again after this long. */
  retriggerAfterMinutes: z
    .number()
    .int()
    .min(15)
    .max(7 * 24 * 60),
});

export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

export const defaultEscalationPolicy: EscalationPolicy = {
  levels: [
    { target: "peer", timeoutMinutes: 15, severities: ["low"] },
    { target: "keyCounsellor", timeoutMinutes: 15, severities: ["low", "medium", "high", "critical"] },
    { target: "onDutyCounsellors", timeoutMinutes: 15, severities: ["low", "medium", "high", "critical"] },
    { target: "allCounsellorsAndStaffChannel", timeoutMinutes: 15, severities: ["low", "medium", "high", "critical"] },
  ],
  criticalTimeoutMinutes: 5,
  loops: 3,
  retriggerAfterMinutes: 240,
};

export const houseSettingsSchema = z.object({
  checkinTime: time.default("20:00"),
  reminderAfterMinutes: z
    .number()
    .int()
    .min(10)
    .max(12 * 60)
    .default(120),
  windowMinutes: z
    .number()
    .int()
    .min(30)
    .max(20 * 60)
    .default(360),
  cravingThreshold: z.number().int().min(1).max(10).default(8),
  missedBeforeAlert: z.number().int().min(1).max(14).default(2),
  milestonesInHouseChannel: z.boolean().default(true),
  meetingReminderMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  dailyMeetingsPost: z.boolean().default(false),
  digestTime: time.default("08:00"),
  digestToStaffChannel: z.boolean().default(false),
  regulatedMode: z.boolean().default(false),
  notesInAlertDms: z.boolean().default(false),
  retentionDays: z.number().int().min(30).max(3650).default(365),
  buddyMinDays: z.number().int().min(0).max(365).default(30),
  buddyCapacity: z.number().int().min(1).max(5).default(1),
  seniorPeerCapacity: z.number().int().min(1).max(5).default(2),
  pairingDays: z.number().int().min(1).max(180).default(30),
  autoConfirmBuddy: z.boolean().default(false),
  escalation: escalationPolicySchema.default(defaultEscalationPolicy),
  /** Overrides the built-in crisis numbers for the house's country. */
  crisisLines: z
    .array(z.object({ name: z.string().max(80), number: z.string().max(40) }))
    .max(6)
    .optional(),
});

export type HouseSettings = z.infer<typeof houseSettingsSchema>;

/** Reads stored settings; a field that no longer validates falls back to its default instead of breaking the house. */
export function readHouseSettings(stored: unknown): HouseSettings {
  const parsed = houseSettingsSchema.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  const raw = (typeof stored === "object" && stored !== null ? { ...(stored as Record<string, unknown>) } : {}) as Record<string, unknown>;
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if (typeof key === "string") delete raw[key];
  }
  return houseSettingsSchema.parse(raw);
}

/** Each house's settings read once, not once per resident: for work that walks many residents of few houses. */
export function houseSettingsReader(): (houseId: string, stored: unknown) => HouseSettings {
  const read = new Map<string, HouseSettings>();
  return (houseId, stored) => {
    let settings = read.get(houseId);
    if (!settings) {
      settings = readHouseSettings(stored);
      read.set(houseId, settings);
    }
    return settings;
  };
}
