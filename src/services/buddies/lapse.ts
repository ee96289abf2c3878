import type { Member } from "../../generated/prisma/client.ts";
import { enqueue } from "../../outbox/enqueue.ts";
import type { Tx } from "../deps.ts";
import { lapseNoteForBuddy } from "./messages.ts";

/**
 * Called where a lapse is recorded, inside that transaction: the buddy hears a compassionate
 * note, with no details, and only when the newcomer said they may.
 */
export async function tellBuddyOfLapse(
  tx: Tx,
  newcomer: Pick<Member, "id" | "houseId" | "displayName" | "shareLapseWithBuddy">,
  localDate: string,
  now: Date,
): Promise<void> {
  if (!newcomer.shareLapseWithBuddy) return;
  const pairing = await tx.buddyPairing.findFirst({ where: { newcomerId: newcomer.id, status: "active" } });
  if (!pairing) return;
  await enqueue(tx, [
    {
      idempotencyKey: `buddy-lapse:${pairing.id}:${localDate}`,
      houseId: newcomer.houseId,
      lane: "interactive",
      message: lapseNoteForBuddy(newcomer.displayName),
      targetMemberId: pairing.buddyId,
      notBefore: now,
    },
  ]);
}
