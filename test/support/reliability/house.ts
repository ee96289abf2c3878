import type { Actor, InboundEvent, Platform } from "../../../src/core/events.ts";
import type { Db } from "../../../src/db/client.ts";
import { localDateOf, nextCheckinInstant } from "../../../src/domain/checkin/index.ts";
import { earliestDue } from "../dueInstants.ts";
import { seededRandom } from "./sink.ts";

export const WORKSPACE = "reliability-house";

/** Six zones with whole, half-hour and southern-hemisphere offsets. */
export const ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Los_Angeles", "Africa/Lagos"];
export const TIMES = ["07:30", "12:00", "18:00", "20:00", "21:30"];

export interface SeededHouse {
  houseId: string;
  /** Platform user id → member id. */
  memberIds: Map<string, string>;
  residents: Array<{ id: string; platformUserId: string; time: string; zone: string }>;
  counsellors: string[];
}

/**
 * A house with an admin, two counsellors (one on duty) and `residents` residents who agreed to
 * check-ins, created directly in the database as intake would leave them: active, consent
 * recorded, a key counsellor each, their check-in time and zone spread over `times` and `zones`,
 * and their first check-in scheduled after `now`.
 */
export async function seedHouse(
  db: Db,
  options: { residents: number; now: Date; zones?: string[]; times?: string[]; platform?: Platform; workspaceId?: string },
): Promise<SeededHouse> {
  const zones = options.zones ?? ZONES;
  const times = options.times ?? TIMES;
  const house = await db.house.create({
    data: {
      platform: options.platform ?? "discord",
      workspaceId: options.workspaceId ?? WORKSPACE,
      name: "Reliability house",
      timezone: "Europe/London",
      country: "GB",
      staffChannelId: "staff",
      houseChannelId: "house",
    },
  });
  const staff = [
    { platformUserId: "admin", role: "admin" as const, onDuty: false },
    { platformUserId: "counsellor-1", role: "counsellor" as const, onDuty: true },
    { platformUserId: "counsellor-2", role: "counsellor" as const, onDuty: false },
  ];
  const counsellors: string[] = [];
  for (const person of staff) {
    const member = await db.member.create({
      data: {
        houseId: house.id,
        platformUserId: person.platformUserId,
        displayName: person.platformUserId,
        role: person.role,
        status: "active",
        onDuty: person.onDuty,
        consentAt: options.now,
      },
    });
    counsellors.push(member.id);
  }
  const consentAt = new Date(options.now.getTime() - 7 * 24 * 3600_000);
  const rows = Array.from({ length: options.residents }, (_, i) => {
    const time = times[i % times.length] ?? "20:00";
    const zone = zones[Math.floor(i / times.length) % zones.length] ?? "Europe/London";
    return {
      houseId: house.id,
      platformUserId: `r${String(i).padStart(4, "0")}`,
      displayName: `Resident ${i}`,
      role: "resident" as const,
      status: "active" as const,
      consentAt,
      consentVersion: "2027-01",
      checkinTime: time,
      timezone: zone,
      timezoneSource: "member",
      keyCounsellorId: counsellors[i % counsellors.length] ?? null,
      nextCheckinAt: nextCheckinInstant(options.now, time, zone).dueAt,
    };
  });
  await db.member.createMany({ data: rows });
  const members = await db.member.findMany({ where: { houseId: house.id } });
  const memberIds = new Map(members.map((m) => [m.platformUserId, m.id]));
  return {
    houseId: house.id,
    memberIds,
    counsellors,
    residents: rows.map((r) => ({
      id: memberIds.get(r.platformUserId) ?? "",
      platformUserId: r.platformUserId,
      time: r.checkinTime,
      zone: r.timezone,
    })),
  };
}

/** Every check-in instant of a resident in (after, until]: what the sweep must prompt. */
export function dueInstants(time: string, zone: string, after: Date, until: Date): Array<{ dueAt: Date; localDate: string }> {
  const due: Array<{ dueAt: Date; localDate: string }> = [];
  let cursor = after;
  for (;;) {
    const next = nextCheckinInstant(cursor, time, zone);
    if (next.dueAt > until) return due;
    due.push({ dueAt: next.dueAt, localDate: localDateOf(next.dueAt, zone) });
    cursor = next.dueAt;
  }
}

/**
 * The next instant anything is due (see `earliestDue`), on a whole minute as the scheduler's
 * tick would see it.
 */
export async function nextDueInstant(db: Db, after: Date): Promise<Date | null> {
  const earliest = await earliestDue(db);
  if (earliest === null) return null;
  const onMinute = Math.ceil(earliest / 60_000) * 60_000;
  return new Date(Math.max(onMinute, after.getTime() + 60_000));
}

let eventCounter = 0;

/** An inbound event from a person in the house, as an adapter would translate it. */
export function inbound(
  userId: string,
  body:
    | { kind: "action"; actionId: string }
    | { kind: "formSubmit"; formId: string; values: Record<string, string> }
    | { kind: "command"; command: string; text: string }
    | { kind: "directText"; text: string },
  workspaceId = WORKSPACE,
): InboundEvent {
  const actor: Actor = { platform: "discord", workspaceId, userId, displayName: userId, isWorkspaceAdmin: false };
  const base = {
    eventId: `rel-${process.pid}-${++eventCounter}`,
    actor,
    conversation: { channelId: `dm-${userId}`, isDirect: true },
  };
  if (body.kind === "command") return { ...base, kind: "command", command: body.command, input: { text: body.text } };
  return { ...base, ...body };
}

/** How a resident treats a prompt in the simulated day: drawn once per check-in from a seeded generator. */
export type Behaviour = "steady" | "afterReminder" | "used" | "craving" | "help" | "silent";

export function behaviourPicker(seed: number): () => Behaviour {
  const random = seededRandom(seed);
  return () => {
    const roll = random();
    if (roll < 0.66) return "steady";
    if (roll < 0.78) return "afterReminder";
    if (roll < 0.82) return "used";
    if (roll < 0.87) return "craving";
    if (roll < 0.89) return "help";
    return "silent";
  };
}
