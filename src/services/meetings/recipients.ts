import type { Occurrence } from "../../domain/meetings/index.ts";
import type { House, Meeting, Member } from "../../generated/prisma/client.ts";
import type { Tx } from "../deps.ts";

export interface Recipient {
  member: Member;
  zone: string;
  subscribed: boolean;
}

/** Only people taking part hear from the bot: active, not a bot, and residents only once they have agreed. */
function takingPart(member: Member): boolean {
  return member.status === "active" && !member.isBot && (member.role !== "resident" || member.consentAt !== null);
}

/**
 * Who is told about one occurrence of a meeting: its followers (who followed before it started),
 * and for a required meeting every resident who had agreed by then. Anyone on an approved
 * absence that day is left out: they are away, and the house already knows.
 */
export async function recipientsFor(tx: Tx, meeting: Meeting & { house: House }, occurrence: Occurrence): Promise<Recipient[]> {
  const subscriptions = await tx.meetingSubscription.findMany({
    where: { meetingId: meeting.id, createdAt: { lte: occurrence.startsAt } },
    include: { member: true },
  });
  const byId = new Map<string, Recipient>();
  const zoneOf = (member: Member) => member.timezone ?? meeting.house.timezone;
  for (const { member } of subscriptions) {
    if (takingPart(member) && member.houseId === meeting.houseId) byId.set(member.id, { member, zone: zoneOf(member), subscribed: true });
  }
  if (meeting.required) {
    const residents = await tx.member.findMany({
      where: { houseId: meeting.houseId, role: "resident", status: "active", isBot: false, consentAt: { lte: occurrence.startsAt } },
    });
    for (const member of residents) if (!byId.has(member.id)) byId.set(member.id, { member, zone: zoneOf(member), subscribed: false });
  }
  if (byId.size === 0) return [];
  const away = await tx.absence.findMany({
    where: {
      memberId: { in: [...byId.keys()] },
      status: "approved",
      fromDate: { lte: occurrence.localDate },
      toDate: { gte: occurrence.localDate },
    },
    select: { memberId: true },
  });
  for (const { memberId } of away) byId.delete(memberId);
  return [...byId.values()];
}
