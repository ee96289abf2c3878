import { nextCheckinInstant } from "../../domain/checkin/index.ts";
import { readHouseSettings } from "../../domain/houseSettings.ts";
import type { House, Member } from "../../generated/prisma/client.ts";
import type { Tx } from "../deps.ts";

/** The resident's own check-in time and zone, or the house's. */
export function effectiveSchedule(member: Pick<Member, "checkinTime" | "timezone">, house: Pick<House, "timezone" | "settings">) {
  return {
    time: member.checkinTime ?? readHouseSettings(house.settings).checkinTime,
    zone: member.timezone ?? house.timezone,
  };
}

/** Only active residents who have agreed to take part are ever prompted. */
export function isSchedulable(member: Pick<Member, "status" | "role" | "consentAt" | "isBot">): boolean {
  return member.status === "active" && member.role === "resident" && member.consentAt !== null && !member.isBot;
}

/**
 * Sets the member's next due instant: the first check-in time strictly after `after`, or none
 * when they should not be prompted. Re-running it never double-prompts: a day that already has a
 * check-in row is skipped by the sweep.
 */
export async function reschedule(tx: Tx, memberId: string, after: Date): Promise<Date | null> {
  const member = await tx.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
  if (!isSchedulable(member)) {
    if (member.nextCheckinAt) await tx.member.update({ where: { id: memberId }, data: { nextCheckinAt: null } });
    return null;
  }
  const { time, zone } = effectiveSchedule(member, member.house);
  const { dueAt } = nextCheckinInstant(after, time, zone);
  await tx.member.update({ where: { id: memberId }, data: { nextCheckinAt: dueAt } });
  return dueAt;
}
