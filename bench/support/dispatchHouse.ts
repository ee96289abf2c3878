import type { Platform } from "../../src/core/events.ts";
import type { Db } from "../../src/db/client.ts";
import { enqueue, type OutboxItem } from "../../src/outbox/enqueue.ts";
import { promptMessage } from "../../src/services/checkins/messages.ts";

/**
 * A house for the dispatch benchmark, written straight into the database as intake would leave
 * it: residents who agreed to check-ins, each with a key counsellor, and everyone's DM channel
 * already known (so each prompt is one request), then check-in prompts queued as the minute
 * sweep queues them.
 */

export interface Person {
  memberId: string;
  userId: string;
  /** The DM channel the platform knows for this person. */
  channelId: string;
}

export interface BenchHouse {
  houseId: string;
  residents: Person[];
  /** One per alert the run raises: each alert's resident has a different key counsellor. */
  counsellors: Person[];
}

export interface HouseSpec {
  platform: Platform;
  workspaceId: string;
  residents: number;
  counsellors: number;
  /** The platform's user id for person `i` of a kind. */
  userId(kind: "resident" | "counsellor", i: number): string;
  /** The DM channel id the platform would hand out for that user. */
  dmChannelOf(userId: string): string;
}

const CHUNK = 1_000;

export async function seedHouse(db: Db, spec: HouseSpec, now: Date): Promise<BenchHouse> {
  const house = await db.house.create({
    data: { platform: spec.platform, workspaceId: spec.workspaceId, name: `Bench ${spec.platform} house`, timezone: "Europe/London" },
  });
  const consentAt = new Date(now.getTime() - 7 * 24 * 3600_000);
  const staff = Array.from({ length: spec.counsellors }, (_, i) => spec.userId("counsellor", i));
  const residentIds = Array.from({ length: spec.residents }, (_, i) => spec.userId("resident", i));
  await db.member.createMany({
    data: staff.map((userId) => ({
      houseId: house.id,
      platformUserId: userId,
      displayName: `Counsellor ${userId}`,
      role: "counsellor" as const,
      status: "active" as const,
      onDuty: true,
      consentAt,
      dmChannelId: spec.dmChannelOf(userId),
    })),
  });
  const counsellorRows = await db.member.findMany({ where: { houseId: house.id, role: "counsellor" }, orderBy: { platformUserId: "asc" } });
  const counsellors = staff.map((userId) => {
    const row = counsellorRows.find((c) => c.platformUserId === userId);
    if (!row) throw new Error(`counsellor ${userId} was not stored`);
    return { memberId: row.id, userId, channelId: spec.dmChannelOf(userId) };
  });
  for (let start = 0; start < spec.residents; start += CHUNK) {
    const count = Math.min(CHUNK, spec.residents - start);
    await db.member.createMany({
      data: Array.from({ length: count }, (_, k) => {
        const i = start + k;
        const userId = residentIds[i] ?? "";
        return {
          houseId: house.id,
          platformUserId: userId,
          displayName: `Resident ${i}`,
          role: "resident" as const,
          status: "active" as const,
          consentAt,
          consentVersion: "2027-01",
          checkinTime: "20:00",
          keyCounsellorId: counsellors[i % counsellors.length]?.memberId ?? null,
          dmChannelId: spec.dmChannelOf(userId),
        };
      }),
    });
  }
  const residentRows = await db.member.findMany({
    where: { houseId: house.id, role: "resident" },
    select: { id: true, platformUserId: true },
  });
  const idOf = new Map(residentRows.map((r) => [r.platformUserId, r.id]));
  const residents = residentIds.map((userId) => ({ memberId: idOf.get(userId) ?? "", userId, channelId: spec.dmChannelOf(userId) }));
  return { houseId: house.id, residents, counsellors };
}

/**
 * Queues `perResident` check-in prompts for each resident, due now, a person's messages next to
 * each other in the queue's order (so consecutive sends to one channel are what the pacing must
 * space out). Returns how many were queued.
 */
export async function queuePrompts(db: Db, house: BenchHouse, run: string, now: Date, perResident = 1): Promise<number> {
  const items: OutboxItem[] = house.residents.flatMap((resident, i) =>
    Array.from({ length: perResident }, (_, k) => ({
      idempotencyKey: `bench:${run}:${resident.memberId}:${k}`,
      houseId: house.houseId,
      lane: "prompt" as const,
      message: promptMessage(`bench-${run}-${i}-${k}`, `Resident ${i}`),
      targetMemberId: resident.memberId,
      // Milliseconds apart in the order they should go: the claim orders by this.
      notBefore: new Date(now.getTime() - (house.residents.length * perResident - (i * perResident + k))),
    })),
  );
  let queued = 0;
  for (let start = 0; start < items.length; start += CHUNK) queued += await enqueue(db, items.slice(start, start + CHUNK));
  return queued;
}

/** What arrived at a platform double: one entry per request to a DM channel, in arrival order. */
export interface Arrival {
  channelId: string;
  status: number;
  /** Date.now() when it arrived. */
  at: number;
}

export interface DeliveryCounts {
  expected: number;
  delivered: number;
  duplicates: number;
  lost: number;
  firstAt: number;
  lastAt: number;
  /** Requests for prompts (refused ones included) per prompt delivered. */
  requestsPerPrompt: number;
}

/** Counts deliveries to the residents' channels: each should receive exactly `perResident` messages. */
export function countDeliveries(arrivals: Arrival[], house: BenchHouse, perResident: number, extraRequests: number): DeliveryCounts {
  const residentChannels = new Set(house.residents.map((r) => r.channelId));
  const delivered = new Map<string, number>();
  let requests = extraRequests;
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = 0;
  for (const arrival of arrivals) {
    if (!residentChannels.has(arrival.channelId)) continue;
    requests += 1;
    if (arrival.status !== 200) continue;
    delivered.set(arrival.channelId, (delivered.get(arrival.channelId) ?? 0) + 1);
    firstAt = Math.min(firstAt, arrival.at);
    lastAt = Math.max(lastAt, arrival.at);
  }
  let duplicates = 0;
  let lost = 0;
  for (const channel of residentChannels) {
    const count = delivered.get(channel) ?? 0;
    duplicates += Math.max(0, count - perResident);
    lost += Math.max(0, perResident - count);
  }
  const expected = house.residents.length * perResident;
  const total = [...delivered.values()].reduce((sum, n) => sum + n, 0);
  return { expected, delivered: total, duplicates, lost, firstAt, lastAt, requestsPerPrompt: total ? requests / total : Number.NaN };
}
