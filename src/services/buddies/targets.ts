import type { Tx } from "../deps.ts";
import type { MemberWithHouse } from "./pairing.ts";

/** Why a mentioned person cannot be acted on; commands turn these into plain refusals. */
export type TargetRefusal = "unknown" | "bot" | "staff" | "discharged";

export type Target = { ok: true; member: MemberWithHouse } | { ok: false; reason: TargetRefusal };

/**
 * A mentioned resident of this house. Mentions are user input: anyone can type any id, so a
 * bot, a counsellor, someone from elsewhere or someone who has left is refused here.
 */
export async function residentByMention(
  tx: Tx,
  houseId: string,
  platformUserId: string,
  options: { allowDischarged?: boolean } = {},
): Promise<Target> {
  const member = await tx.member.findUnique({
    where: { houseId_platformUserId: { houseId, platformUserId } },
    include: { house: true },
  });
  if (!member) return { ok: false, reason: "unknown" };
  if (member.isBot) return { ok: false, reason: "bot" };
  if (member.role !== "resident") return { ok: false, reason: "staff" };
  if (member.status === "discharged" && !options.allowDischarged) return { ok: false, reason: "discharged" };
  return { ok: true, member };
}
