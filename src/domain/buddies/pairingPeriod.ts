import type { MemberRole, MemberStatus } from "./matching.ts";

const DAY_MS = 24 * 3600_000;

/** A pairing runs for whole days of elapsed time from the moment it was confirmed. */
export function plannedEndOf(startedAt: Date, pairingDays: number): Date {
  return new Date(startedAt.getTime() + pairingDays * DAY_MS);
}

/** Whole days a newcomer has had a buddy, over all their pairings; an active one counts up to `now`. */
export function buddiedDays(pairings: ReadonlyArray<{ startedAt: Date | null; endedAt: Date | null }>, now: Date): number {
  let total = 0;
  for (const pairing of pairings) {
    if (!pairing.startedAt) continue;
    const end = pairing.endedAt ?? now;
    total += Math.max(0, end.getTime() - pairing.startedAt.getTime());
  }
  return Math.floor(total / DAY_MS);
}

/**
 * Whether someone whose pairing just ended should be offered a new buddy: a resident still in the
 * house who has had less than the full settling-in period with one.
 */
export function stillNeedsBuddy(
  member: { role: MemberRole; status: MemberStatus; isBot: boolean },
  daysWithBuddy: number,
  pairingDays: number,
): boolean {
  return member.role === "resident" && !member.isBot && member.status !== "discharged" && daysWithBuddy < pairingDays;
}
