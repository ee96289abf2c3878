import type { Platform } from "../../core/events.ts";
import type { Preferences } from "../../domain/buddies/index.ts";
import { localDateOf } from "../../domain/checkin/index.ts";
import { enqueue } from "../../outbox/enqueue.ts";
import { recordAudit } from "../audit.ts";
import { welcomeMessage } from "../checkins/enrolment.ts";
import { reschedule } from "../checkins/schedule.ts";
import type { ServiceDeps } from "../deps.ts";
import { farewellMessage } from "./messages.ts";
import { endPairing, lockMembers, type ProposalOutcome, proposeBuddies } from "./pairing.ts";
import { residentByMention, type TargetRefusal } from "./targets.ts";

/** A name for someone taken in before they have spoken to the bot; their own name replaces it once they do. */
export const PLACEHOLDER_NAME_PREFIX = "New resident ";

export function placeholderName(platform: Platform, platformUserId: string): string {
  // Console user ids are the names people typed, so they already read well.
  return platform === "console" ? platformUserId.slice(0, 80) : `${PLACEHOLDER_NAME_PREFIX}${platformUserId.slice(-4)}`;
}

export interface IntakeInput {
  platformUserId: string;
  sobrietyDate?: string;
  programmeStart?: string;
  checkinTime?: string;
  preferences?: Preferences;
}

export type IntakeResult =
  | { outcome: "refused"; reason: "bot" | "staff" }
  | { outcome: "refused"; reason: "future_date" | "implausible_date"; field: "sobriety-date" | "programme-start" }
  | {
      outcome: "done";
      name: string;
      created: boolean;
      readmitted: boolean;
      welcomed: boolean;
      proposal: ProposalOutcome | null;
      buddyName: string | null;
    };

export type DischargeResult =
  | { outcome: "refused"; reason: TargetRefusal | "already_discharged" }
  | { outcome: "done"; name: string; endedPairings: number; reproposedFor: string[] };

const EARLIEST_DATE = "1900-01-01";

export function createIntake(deps: ServiceDeps) {
  const { db, clock, cipher } = deps;

  return {
    /**
     * Creates or updates a resident's record. Someone new (or back after a discharge) is sent the
     * consent welcome, and nothing is scheduled until they agree; their counsellors are sent
     * proposed buddies.
     */
    async intake(actorId: string, houseId: string, input: IntakeInput): Promise<IntakeResult> {
      return db.$transaction(async (tx) => {
        const now = clock.now();
        const house = await tx.house.findUniqueOrThrow({ where: { id: houseId } });
        const today = localDateOf(now, house.timezone);
        const dates = [
          ["sobriety-date", input.sobrietyDate],
          ["programme-start", input.programmeStart],
        ] as const;
        for (const [field, date] of dates) {
          if (date && date > today) return { outcome: "refused", reason: "future_date", field } as const;
          if (date && date < EARLIEST_DATE) return { outcome: "refused", reason: "implausible_date", field } as const;
        }
        const existing = await tx.member.findUnique({
          where: { houseId_platformUserId: { houseId, platformUserId: input.platformUserId } },
        });
        if (existing?.isBot) return { outcome: "refused", reason: "bot" } as const;
        if (existing && existing.role !== "resident") return { outcome: "refused", reason: "staff" } as const;
        const readmitted = existing?.status === "discharged";
        const firstIntake = !existing || readmitted || existing.programmeStart === null;
        const member =
          existing ??
          (await tx.member.create({
            data: {
              houseId,
              platformUserId: input.platformUserId,
              displayName: placeholderName(house.platform, input.platformUserId),
              status: "invited",
              createdAt: now,
            },
          }));
        await lockMembers(tx, [member.id]);
        const sobrietyChanged = input.sobrietyDate !== undefined && input.sobrietyDate !== member.sobrietyDate;
        const programmeStart = input.programmeStart ?? (firstIntake ? today : undefined);
        const updated = await tx.member.update({
          where: { id: member.id },
          data: {
            // A new stay asks for consent afresh; the audit log keeps the earlier one.
            ...(readmitted
              ? { status: "invited", consentAt: null, dischargedAt: null, dischargeReason: null, nextCheckinAt: null, pausedUntil: null }
              : {}),
            ...(programmeStart ? { programmeStart } : {}),
            ...(sobrietyChanged ? { sobrietyDate: input.sobrietyDate } : {}),
            ...(input.checkinTime ? { checkinTime: input.checkinTime } : {}),
            ...(input.preferences ? { preferences: { ...input.preferences } } : {}),
            ...(member.keyCounsellorId === null ? { keyCounsellorId: actorId } : {}),
          },
          include: { house: true },
        });
        if (sobrietyChanged && input.sobrietyDate) {
          await tx.sobrietyEvent.create({
            data: { memberId: member.id, kind: "date_set", date: input.sobrietyDate, recordedById: actorId, createdAt: now },
          });
        }
        if (input.checkinTime) await reschedule(tx, member.id, now);
        const welcomed = updated.status === "invited";
        if (welcomed) {
          await enqueue(tx, [
            {
              idempotencyKey: `welcome:${member.id}:intake:${now.getTime()}`,
              houseId,
              lane: "interactive",
              message: welcomeMessage(house.name),
              targetMemberId: member.id,
              notBefore: now,
            },
          ]);
        }
        await recordAudit(tx, {
          houseId,
          actorId,
          action: "member.intake",
          subjectId: member.id,
          details: { created: !existing, readmitted, sobrietyDateSet: sobrietyChanged },
          at: now,
        });
        const active = await tx.buddyPairing.findFirst({ where: { newcomerId: member.id, status: "active" }, include: { buddy: true } });
        const proposal =
          firstIntake && !active ? await proposeBuddies(tx, { newcomer: updated, now, actorId, round: `intake:${now.getTime()}` }) : null;
        return {
          outcome: "done",
          name: updated.displayName,
          created: !existing,
          readmitted,
          welcomed,
          proposal,
          buddyName: active?.buddy.displayName ?? null,
        } as const;
      });
    },

    /** Ends check-ins, reminders and pairings; the history stays, and the reason is stored encrypted. */
    async discharge(actorId: string, houseId: string, platformUserId: string, reason: string): Promise<DischargeResult> {
      return db.$transaction(async (tx) => {
        const target = await residentByMention(tx, houseId, platformUserId, { allowDischarged: true });
        if (!target.ok) return { outcome: "refused", reason: target.reason } as const;
        const member = target.member;
        if (member.status === "discharged") return { outcome: "refused", reason: "already_discharged" } as const;
        await lockMembers(tx, [member.id]);
        const now = clock.now();
        await tx.member.update({
          where: { id: member.id },
          data: {
            status: "discharged",
            dischargedAt: now,
            dischargeReason: cipher.encrypt(reason),
            nextCheckinAt: null,
            pausedUntil: null,
          },
        });
        // Prompts and reminders already queued would otherwise still reach someone who has left.
        await tx.outbox.updateMany({
          where: { targetMemberId: member.id, status: "pending", lane: { in: ["prompt", "reminder"] } },
          data: { status: "cancelled" },
        });
        await tx.meetingSubscription.deleteMany({ where: { memberId: member.id } });
        await tx.buddyPairing.updateMany({
          where: { status: "proposed", OR: [{ newcomerId: member.id }, { buddyId: member.id }] },
          data: { status: "declined", endReason: "left" },
        });
        const active = await tx.$queryRaw<Array<{ id: string; newcomerId: string }>>`
          SELECT id, "newcomerId" FROM "BuddyPairing"
          WHERE status = 'active'::"PairingStatus" AND ("newcomerId" = ${member.id} OR "buddyId" = ${member.id})
          ORDER BY id FOR UPDATE`;
        const reproposedFor: string[] = [];
        for (const pairing of active) {
          const kind = pairing.newcomerId === member.id ? "newcomer_left" : "buddy_left";
          const ended = await endPairing(tx, { pairingId: pairing.id, kind, now, actorId });
          if (ended.reproposed && ended.newcomerName) reproposedFor.push(ended.newcomerName);
        }
        await enqueue(tx, [
          {
            idempotencyKey: `farewell:${member.id}:${now.getTime()}`,
            houseId,
            lane: "bulk",
            message: farewellMessage(member.house.name),
            targetMemberId: member.id,
            notBefore: now,
          },
        ]);
        await recordAudit(tx, { houseId, actorId, action: "member.discharged", subjectId: member.id, at: now });
        return { outcome: "done", name: member.displayName, endedPairings: active.length, reproposedFor } as const;
      });
    },
  };
}
