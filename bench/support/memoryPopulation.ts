import type { Db } from "../../src/db/client.ts";
import { addDays, localDateOf, nextCheckinInstant } from "../../src/domain/checkin/index.ts";

/** A house of about this many residents, as a provider runs them. */
export const RESIDENTS_PER_HOUSE = 25;

/** Houses are spread over these zones: whole, half-hour and southern-hemisphere offsets, both sides of UTC. */
const ZONES = [
  "Europe/London",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Africa/Lagos",
  "Pacific/Auckland",
];
/** Residents pick their own check-in time; most keep the evening default. */
const TIMES = ["07:30", "12:00", "18:00", "20:00", "20:00", "21:30"];
/** A platform workspace id the population's houses share a prefix of, so a run can find them. */
export const WORKSPACE_PREFIX = "memory-house-";

export interface Population {
  houses: number;
  residents: number;
  counsellors: number;
  /** Residents who also missed yesterday: a second miss today raises an alert. */
  missedYesterday: number;
}

/**
 * Houses as intake leaves them, written in bulk: two counsellors each (one on duty), residents
 * who agreed to check-ins with a key counsellor, their first check-in due after `now`. Every
 * tenth resident missed yesterday, so silence today becomes an alert as well as a reminder.
 */
export async function seedPopulation(db: Db, residents: number, now: Date): Promise<Population> {
  const houseCount = Math.ceil(residents / RESIDENTS_PER_HOUSE);
  const houses = await db.house.createManyAndReturn({
    data: Array.from({ length: houseCount }, (_, h) => ({
      platform: "discord" as const,
      workspaceId: `${WORKSPACE_PREFIX}${h}`,
      name: `House ${h}`,
      timezone: ZONES[h % ZONES.length] ?? "Europe/London",
      staffChannelId: `staff-${h}`,
      houseChannelId: `house-${h}`,
    })),
    select: { id: true, timezone: true },
  });
  const counsellors = await db.member.createManyAndReturn({
    data: houses.flatMap((house, h) =>
      [0, 1].map((c) => ({
        houseId: house.id,
        platformUserId: `h${h}-counsellor-${c}`,
        displayName: `Counsellor ${h}.${c}`,
        role: "counsellor" as const,
        status: "active" as const,
        onDuty: c === 0,
        consentAt: now,
      })),
    ),
    select: { id: true, houseId: true },
  });
  const counsellorsOf = new Map<string, string[]>();
  for (const c of counsellors) counsellorsOf.set(c.houseId, [...(counsellorsOf.get(c.houseId) ?? []), c.id]);

  const consentAt = new Date(now.getTime() - 30 * 24 * 3600_000);
  const rows = Array.from({ length: residents }, (_, i) => {
    const h = Math.floor(i / RESIDENTS_PER_HOUSE);
    const house = houses[h];
    if (!house) throw new Error(`no house ${h}`);
    const time = TIMES[i % TIMES.length] ?? "20:00";
    return {
      houseId: house.id,
      platformUserId: `h${h}-r${i % RESIDENTS_PER_HOUSE}`,
      displayName: `Resident ${i}`,
      role: "resident" as const,
      status: "active" as const,
      consentAt,
      consentVersion: "2027-01",
      checkinTime: time,
      keyCounsellorId: counsellorsOf.get(house.id)?.[i % 2] ?? null,
      nextCheckinAt: nextCheckinInstant(now, time, house.timezone).dueAt,
    };
  });
  const created = await db.member.createManyAndReturn({
    data: rows,
    select: { id: true, house: { select: { timezone: true } } },
  });
  const yesterday = created
    .filter((_, i) => i % 10 === 3)
    .map((m) => {
      const localDate = addDays(localDateOf(now, m.house.timezone), -1);
      return { memberId: m.id, localDate, dueAt: now, closesAt: now, status: "missed" as const };
    });
  await db.checkin.createMany({ data: yesterday });
  return { houses: houses.length, residents: created.length, counsellors: counsellors.length, missedYesterday: yesterday.length };
}
