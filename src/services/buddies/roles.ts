import { readHouseSettings } from "../../domain/houseSettings.ts";
import type { PeerRole } from "../../generated/prisma/enums.ts";
import { enqueue } from "../../outbox/enqueue.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps } from "../deps.ts";
import { roleChangeMessage } from "./messages.ts";
import { endPairing, lockMembers } from "./pairing.ts";
import { residentByMention, type TargetRefusal } from "./targets.ts";

export type PeerRoleResult =
  | { outcome: "changed"; name: string; from: PeerRole; to: PeerRole; endedFor: string[] }
  | { outcome: "unchanged"; name: string; role: PeerRole }
  | { outcome: "refused"; reason: TargetRefusal };

export interface GrantView {
  role: PeerRole;
  grantedBy: string | null;
  reason: string;
  at: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

export type PeerRoleHistory =
  | { outcome: "found"; name: string; role: PeerRole; grants: GrantView[]; zone: string }
  | { outcome: "refused"; reason: TargetRefusal };

const HISTORY_SHOWN = 10;

/** Grants written before reasons were encrypted (or by a seed) still show rather than break the history. */
function readable(decrypt: (value: string) => string, value: string): string {
  try {
    return decrypt(value);
  } catch {
    return "(reason not readable)";
  }
}

/** Counsellors grant and revoke the buddy and senior peer roles; every change is kept with who and why. */
export function createRoles(deps: ServiceDeps) {
  const { db, clock, cipher } = deps;

  return {
    /**
     * Changes a resident's peer role: the open grant is revoked and a new one recorded (reasons
     * encrypted), the member is told kindly, and taking the role away ends the pairings they buddy.
     */
    async setPeerRole(actorId: string, houseId: string, platformUserId: string, role: PeerRole, reason: string): Promise<PeerRoleResult> {
      return db.$transaction(async (tx) => {
        const target = await residentByMention(tx, houseId, platformUserId);
        if (!target.ok) return { outcome: "refused", reason: target.reason } as const;
        const member = target.member;
        await lockMembers(tx, [member.id]);
        if (member.peerRole === role) return { outcome: "unchanged", name: member.displayName, role } as const;
        const now = clock.now();
        const actor = await tx.member.findUniqueOrThrow({ where: { id: actorId } });
        const reasonCipher = cipher.encrypt(reason);
        const revoked = await tx.roleGrant.updateMany({
          where: { memberId: member.id, revokedAt: null },
          data: { revokedAt: now, revokedById: actorId, revokeReason: reasonCipher },
        });
        // Taking a role away is recorded on the grant it ends; a "none" row only when there was none to end.
        if (role !== "none" || revoked.count === 0) {
          await tx.roleGrant.create({
            data: { memberId: member.id, peerRole: role, grantedById: actorId, reason: reasonCipher, createdAt: now },
          });
        }
        await tx.member.update({ where: { id: member.id }, data: { peerRole: role } });
        await recordAudit(tx, {
          houseId,
          actorId,
          action: "member.peer_role_changed",
          subjectId: member.id,
          details: { from: member.peerRole, to: role },
          at: now,
        });
        await enqueue(tx, [
          {
            idempotencyKey: `peer-role:${member.id}:${now.getTime()}`,
            houseId,
            lane: "interactive",
            message: roleChangeMessage(
              member.peerRole,
              role,
              actor.displayName,
              readHouseSettings(member.house.settings).seniorPeerCapacity,
            ),
            targetMemberId: member.id,
            notBefore: now,
          },
        ]);
        const endedFor: string[] = [];
        if (role === "none") {
          const buddying = await tx.buddyPairing.findMany({ where: { buddyId: member.id, status: "active" }, select: { id: true } });
          for (const pairing of buddying) {
            const ended = await endPairing(tx, { pairingId: pairing.id, kind: "role_revoked", now, actorId });
            if (ended.newcomerName) endedFor.push(ended.newcomerName);
          }
          await tx.buddyPairing.updateMany({
            where: { buddyId: member.id, status: "proposed" },
            data: { status: "declined", endReason: "role_revoked" },
          });
        }
        return { outcome: "changed", name: member.displayName, from: member.peerRole, to: role, endedFor } as const;
      });
    },

    /** The resident's current role and their grants, newest first, with reasons for counsellors' eyes. */
    async peerRoleHistory(houseId: string, platformUserId: string): Promise<PeerRoleHistory> {
      const target = await residentByMention(db, houseId, platformUserId, { allowDischarged: true });
      if (!target.ok) return { outcome: "refused", reason: target.reason };
      const grants = await db.roleGrant.findMany({
        where: { memberId: target.member.id },
        orderBy: { createdAt: "desc" },
        take: HISTORY_SHOWN,
      });
      const people = await db.member.findMany({
        where: { id: { in: grants.flatMap((g) => [g.grantedById, g.revokedById]).filter((id): id is string => id !== null) } },
        select: { id: true, displayName: true },
      });
      const nameOf = (id: string | null) => people.find((p) => p.id === id)?.displayName ?? null;
      return {
        outcome: "found",
        name: target.member.displayName,
        role: target.member.peerRole,
        zone: target.member.house.timezone,
        grants: grants.map((g) => ({
          role: g.peerRole,
          grantedBy: nameOf(g.grantedById),
          reason: readable(cipher.decrypt, g.reason),
          at: g.createdAt,
          revokedAt: g.revokedAt,
          revokedBy: nameOf(g.revokedById),
          revokeReason: g.revokeReason ? readable(cipher.decrypt, g.revokeReason) : null,
        })),
      };
    },
  };
}
