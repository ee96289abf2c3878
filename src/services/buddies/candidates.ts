import type { BuddyCandidate } from "../../domain/buddies/index.ts";
import { readPreferences } from "../../domain/buddies/index.ts";
import { localDateOf } from "../../domain/checkin/index.ts";
import type { Member } from "../../generated/prisma/client.ts";
import type { Tx } from "../deps.ts";

/**
 * Gathers what matching needs about each member, in a handful of queries whatever the house's
 * size. Dates are read in the house's zone, so "14 days" means the house's calendar days.
 */
export async function candidateFacts(tx: Tx, members: Member[], zone: string, now: Date): Promise<BuddyCandidate[]> {
  if (members.length === 0) return [];
  const ids = members.map((m) => m.id);
  const today = localDateOf(now, zone);
  // One after another: an interactive transaction holds a single connection.
  const lapses = await tx.sobrietyEvent.groupBy({
    by: ["memberId"],
    where: { memberId: { in: ids }, kind: "lapse" },
    _max: { date: true },
  });
  const alerts = await tx.alert.groupBy({ by: ["subjectId"], where: { subjectId: { in: ids } }, _max: { createdAt: true } });
  const open = await tx.alert.groupBy({
    by: ["subjectId"],
    where: { subjectId: { in: ids }, state: { in: ["open", "acknowledged"] } },
    _count: { _all: true },
  });
  const load = await tx.buddyPairing.groupBy({
    by: ["buddyId"],
    where: { buddyId: { in: ids }, status: "active" },
    _count: { _all: true },
  });
  const lastEnded = await tx.buddyPairing.groupBy({
    by: ["buddyId"],
    where: { buddyId: { in: ids }, status: "ended" },
    _max: { endedAt: true },
  });
  const ownBuddy = await tx.buddyPairing.findMany({ where: { newcomerId: { in: ids }, status: "active" }, select: { newcomerId: true } });
  return members.map((m) => {
    const activeNewcomers = load.find((l) => l.buddyId === m.id)?._count._all ?? 0;
    const ended = lastEnded.find((l) => l.buddyId === m.id)?._max.endedAt ?? null;
    const lastAlert = alerts.find((a) => a.subjectId === m.id)?._max.createdAt ?? null;
    return {
      id: m.id,
      role: m.role,
      peerRole: m.peerRole,
      status: m.status,
      isBot: m.isBot,
      // Someone taken in before intake recorded a programme start counts from when the bot met them.
      programmeStart: m.programmeStart ?? localDateOf(m.createdAt, zone),
      lastLapseOn: lapses.find((l) => l.memberId === m.id)?._max.date ?? null,
      lastAlertOn: lastAlert ? localDateOf(lastAlert, zone) : null,
      hasOpenAlert: open.some((o) => o.subjectId === m.id),
      activeNewcomers,
      lastBuddiedOn: activeNewcomers > 0 ? today : ended ? localDateOf(ended, zone) : null,
      hasOwnBuddy: ownBuddy.some((p) => p.newcomerId === m.id),
      preferences: readPreferences(m.preferences),
    };
  });
}
