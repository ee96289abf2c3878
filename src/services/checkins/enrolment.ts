import { type Message, message } from "../../core/message.ts";
import { daysBetween, localDateOf } from "../../domain/checkin/index.ts";
import { enqueue } from "../../outbox/enqueue.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps } from "../deps.ts";
import { effectiveSchedule, reschedule } from "./schedule.ts";

export const CONSENT_VERSION = "2027-01";

/** What a resident reads before agreeing: what is stored, who sees it, how to stop. */
export function welcomeMessage(houseName: string): Message {
  return message(
    [
      `Welcome to ${houseName}. I'm the house check-in bot: peer support, not an emergency service.`,
      "Once a day I'll ask how you are: sober today, craving, mood, whether you got to a meeting, and an optional note.",
      "What I keep: your answers and notes (notes are encrypted). Who sees them: you and the house counsellors. Your buddy never sees your answers. Nothing about you is posted in shared channels unless you choose to celebrate a milestone there.",
      "Taking part is voluntary. You can pause any time with /pause; to stop altogether, tell a counsellor.",
    ].join("\n\n"),
    {
      title: "Before we start",
      buttons: [
        [
          { actionId: "consent:agree", label: "I agree", style: "primary" },
          { actionId: "consent:later", label: "Not now" },
        ],
      ],
    },
  );
}

export type ScheduleChange = { outcome: "saved"; time: string; zone: string; nextAt: Date | null } | { outcome: "not_active" };

export function createEnrolment(deps: ServiceDeps) {
  const { db, clock } = deps;

  return {
    /** The resident agrees: record the consent and its version, then schedule the first check-in. */
    async agree(memberId: string): Promise<{ nextAt: Date | null; time: string; zone: string }> {
      return db.$transaction(async (tx) => {
        const now = clock.now();
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
        if (member.consentAt === null || member.status === "invited") {
          await tx.member.update({
            where: { id: memberId },
            data: { consentAt: now, consentVersion: CONSENT_VERSION, consentWithdrawnAt: null, status: "active" },
          });
          await recordAudit(tx, {
            houseId: member.houseId,
            actorId: memberId,
            action: "member.consented",
            subjectId: memberId,
            details: { version: CONSENT_VERSION },
            at: now,
          });
        }
        const nextAt = await reschedule(tx, memberId, now);
        return { nextAt, ...effectiveSchedule(member, member.house) };
      });
    },

    /** Queues the welcome by DM; used by intake and when a new resident first talks to the bot. */
    async sendWelcome(memberId: string): Promise<void> {
      await db.$transaction(async (tx) => {
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
        await enqueue(tx, [
          {
            idempotencyKey: `welcome:${memberId}:${member.createdAt.getTime()}`,
            houseId: member.houseId,
            lane: "interactive",
            message: welcomeMessage(member.house.name),
            targetMemberId: memberId,
            notBefore: clock.now(),
          },
        ]);
      });
    },

    async setSchedule(memberId: string, change: { time?: string; zone?: string }): Promise<ScheduleChange> {
      return db.$transaction(async (tx) => {
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
        if (member.status === "discharged") return { outcome: "not_active" } as const;
        const updated = await tx.member.update({
          where: { id: memberId },
          data: {
            ...(change.time ? { checkinTime: change.time } : {}),
            ...(change.zone ? { timezone: change.zone, timezoneSource: "member" } : {}),
          },
          include: { house: true },
        });
        const nextAt = await reschedule(tx, memberId, clock.now());
        return { outcome: "saved", nextAt, ...effectiveSchedule(updated, updated.house) } as const;
      });
    },

    async pause(memberId: string, until?: string): Promise<"paused" | "not_active"> {
      return db.$transaction(async (tx) => {
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
        if (member.status !== "active") return "not_active" as const;
        await tx.member.update({ where: { id: memberId }, data: { status: "paused", pausedUntil: until ?? null, nextCheckinAt: null } });
        return "paused" as const;
      });
    },

    async resume(memberId: string): Promise<{ outcome: "resumed"; nextAt: Date | null } | { outcome: "not_paused" }> {
      return db.$transaction(async (tx) => {
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
        if (member.status !== "paused") return { outcome: "not_paused" } as const;
        await tx.member.update({ where: { id: memberId }, data: { status: "active", pausedUntil: null } });
        return { outcome: "resumed", nextAt: await reschedule(tx, memberId, clock.now()) } as const;
      });
    },

    /** Ends pauses whose date has passed: part of the minute sweep. */
    async resumeExpiredPauses(now: Date): Promise<void> {
      // A pause ends once the resident's local date is past `pausedUntil`. No zone is more than a
      // day ahead of UTC, so only pauses until the UTC date or earlier can have ended anywhere.
      const utcToday = now.toISOString().slice(0, 10);
      const paused = await db.member.findMany({ where: { status: "paused", pausedUntil: { lte: utcToday } }, include: { house: true } });
      for (const member of paused) {
        const today = localDateOf(now, member.timezone ?? member.house.timezone);
        if (member.pausedUntil && daysBetween(member.pausedUntil, today) > 0) {
          await db.$transaction(async (tx) => {
            await tx.member.update({ where: { id: member.id }, data: { status: "active", pausedUntil: null } });
            await reschedule(tx, member.id, now);
          });
        }
      }
    },

    /** Sets the start of the current streak; the earlier history stays. */
    async setSobrietyDate(memberId: string, date: string, recordedById: string): Promise<void> {
      await db.sobrietyEvent.create({ data: { memberId, kind: "date_set", date, recordedById, createdAt: clock.now() } });
      await db.member.update({ where: { id: memberId }, data: { sobrietyDate: date } });
    },

    async setCelebrateInHouse(memberId: string, celebrate: boolean): Promise<void> {
      await db.member.update({ where: { id: memberId }, data: { celebrateInHouse: celebrate } });
    },
  };
}

export type Enrolment = ReturnType<typeof createEnrolment>;
