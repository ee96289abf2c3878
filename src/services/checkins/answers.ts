import { findCrisisLanguage } from "../../domain/alerts/index.ts";
import {
  addDays,
  checkinInstantOn,
  checkinWindow,
  type Feeling,
  localDateOf,
  nextMilestone,
  recentDaysLine,
  sobrietySummary,
} from "../../domain/checkin/index.ts";
import { readHouseSettings } from "../../domain/houseSettings.ts";
import type { Checkin, Member } from "../../generated/prisma/client.ts";
import { tellBuddyOfLapse } from "../buddies/lapse.ts";
import type { ServiceDeps, Tx } from "../deps.ts";
import { recordSignal, type SignalHandler } from "../signals.ts";
import { effectiveSchedule } from "./schedule.ts";
import { excusedOn } from "./sweep.ts";

export interface AnswerPatch {
  feeling?: Feeling;
  craving?: number;
  mood?: number;
  meetingToday?: boolean;
  note?: string;
}

export type NextQuestion = "feeling" | "craving" | "mood" | "meeting" | "note" | null;

export interface Progress {
  daysSober: number;
  totalSoberDays: number;
  lapses: number;
  streakStart: string | null;
  nextMilestone: { label: string; date: string; daysAway: number } | null;
  recentLine: string;
}

export type AnswerOutcome =
  | ({
      outcome: "saved";
      checkin: Checkin;
      lapseRecorded: boolean;
      crisis: boolean;
      houseCountry: string;
      crisisLines?: Array<{ name: string; number: string }>;
    } & (
      | { next: Exclude<NextQuestion, null> }
      // Progress is shown once the last question is answered; reading it for every press would
      // be two more queries on the busiest path the bot has.
      | { next: null; progress: Progress }
    ))
  | { outcome: "closed" }
  | { outcome: "not_found" }
  | { outcome: "not_active" };

export function nextQuestion(
  checkin: Pick<Checkin, "feeling" | "craving" | "mood" | "meetingToday" | "noteCipher">,
  asked: { noteOffered?: boolean } = {},
): NextQuestion {
  if (!checkin.feeling) return "feeling";
  if (checkin.craving === null) return "craving";
  if (checkin.mood === null) return "mood";
  if (checkin.meetingToday === null) return "meeting";
  if (!checkin.noteCipher && !asked.noteOffered) return "note";
  return null;
}

/** What answering needs of the resident and their house. */
type AnsweringMember = Pick<Member, "id" | "houseId" | "displayName" | "shareLapseWithBuddy" | "timezone"> & {
  house: { country: string; settings: unknown; timezone: string };
};

interface PressedCheckinRow {
  id: string;
  memberId: string;
  localDate: string;
  closesAt: Date;
  status: string;
  feeling: string | null;
  answeredAt: Date | null;
  houseId: string;
  displayName: string;
  shareLapseWithBuddy: boolean;
  timezone: string | null;
  memberStatus: string;
  houseCountry: string;
  houseSettings: unknown;
  houseTimezone: string;
}

export function createCheckinAnswers(deps: ServiceDeps, onSignal: SignalHandler) {
  const { db, clock, cipher } = deps;

  async function progressIn(tx: Tx, member: Pick<Member, "id">, today: string): Promise<Progress> {
    const events = await tx.sobrietyEvent.findMany({
      where: { memberId: member.id },
      orderBy: { createdAt: "asc" },
      select: { kind: true, date: true },
    });
    const summary = sobrietySummary(events, today);
    const recent = await tx.checkin.findMany({
      where: { memberId: member.id, localDate: { gte: addDays(today, -13), lte: today } },
      select: { localDate: true, status: true, usedToday: true },
    });
    return {
      daysSober: summary.daysSober,
      totalSoberDays: summary.totalSoberDays,
      lapses: summary.lapses,
      streakStart: summary.currentStreakStart,
      nextMilestone: summary.currentStreakStart ? nextMilestone(summary.currentStreakStart, today) : null,
      recentLine: recentDaysLine(recent, today),
    };
  }

  /** Saves part of an answer, checks the risk rules, and says what to ask next. */
  async function apply(
    tx: Tx,
    member: AnsweringMember,
    checkin: Pick<Checkin, "id" | "localDate" | "closesAt" | "status" | "feeling" | "answeredAt">,
    patch: AnswerPatch,
    source: string,
  ): Promise<AnswerOutcome> {
    const now = clock.now();
    if (checkin.closesAt <= now || checkin.status === "missed" || checkin.status === "excused") return { outcome: "closed" };
    const settings = readHouseSettings(member.house.settings);
    const noteCipher = patch.note !== undefined ? cipher.encrypt(patch.note) : undefined;
    // The day counts as answered once they have said how it is; the rest is detail.
    const answered = (patch.feeling ?? checkin.feeling) !== null && (patch.feeling ?? checkin.feeling) !== undefined;
    const updated = await tx.checkin.update({
      where: { id: checkin.id },
      data: {
        ...(answered ? { status: "answered" as const, answeredAt: checkin.answeredAt ?? now, remindAt: null } : {}),
        source,
        ...(patch.feeling !== undefined ? { feeling: patch.feeling, usedToday: patch.feeling === "used" } : {}),
        ...(patch.craving !== undefined ? { craving: patch.craving } : {}),
        ...(patch.mood !== undefined ? { mood: patch.mood } : {}),
        ...(patch.meetingToday !== undefined ? { meetingToday: patch.meetingToday } : {}),
        ...(noteCipher !== undefined ? { noteCipher } : {}),
      },
    });
    const base = { houseId: member.houseId, memberId: member.id, occurredAt: now };
    let lapseRecorded = false;
    if (patch.feeling === "used" && checkin.feeling !== "used") {
      // History is appended, never rewritten: the lapse day, and a fresh start the day after.
      await tx.sobrietyEvent.createMany({
        data: [
          // Explicit instants: history is read in recording order, and now() is one value per transaction.
          { memberId: member.id, kind: "lapse", date: checkin.localDate, recordedById: member.id, createdAt: now },
          {
            memberId: member.id,
            kind: "recommitment",
            date: addDays(checkin.localDate, 1),
            recordedById: member.id,
            createdAt: new Date(now.getTime() + 1),
          },
        ],
      });
      lapseRecorded = true;
      await tellBuddyOfLapse(tx, member, checkin.localDate, now);
      await recordSignal(
        tx,
        { ...base, kind: "reported_use", dedupKey: `used:${member.id}:${checkin.localDate}`, details: { localDate: checkin.localDate } },
        onSignal,
      );
    }
    if (patch.feeling === "help") {
      await recordSignal(tx, { ...base, kind: "sos", dedupKey: `sos:${checkin.id}`, details: { via: "checkin" } }, onSignal);
    }
    if (patch.craving !== undefined && patch.craving >= settings.cravingThreshold) {
      await recordSignal(
        tx,
        {
          ...base,
          kind: "high_craving",
          dedupKey: `craving:${member.id}:${checkin.localDate}`,
          details: { craving: patch.craving, threshold: settings.cravingThreshold },
        },
        onSignal,
      );
    }
    if (patch.mood !== undefined && patch.mood <= 1) {
      const yesterday = await tx.checkin.findUnique({
        where: { memberId_localDate: { memberId: member.id, localDate: addDays(checkin.localDate, -1) } },
      });
      if (yesterday?.mood !== null && yesterday?.mood !== undefined && yesterday.mood <= 1) {
        await recordSignal(
          tx,
          { ...base, kind: "low_mood", dedupKey: `lowmood:${member.id}:${checkin.localDate}`, details: { days: 2 } },
          onSignal,
        );
      }
    }
    let crisis = false;
    if (patch.note !== undefined && findCrisisLanguage(patch.note).matched) {
      crisis = true;
      await recordSignal(
        tx,
        { ...base, kind: "crisis_words", dedupKey: `crisis:note:${checkin.id}:${now.getTime()}`, details: { via: "note" } },
        onSignal,
      );
    }
    const saved = {
      outcome: "saved" as const,
      checkin: updated,
      lapseRecorded,
      crisis,
      houseCountry: member.house.country,
      crisisLines: settings.crisisLines,
    };
    const next = nextQuestion(updated, { noteOffered: patch.note !== undefined || source !== "button" });
    if (next !== null) return { ...saved, next };
    const today = localDateOf(now, member.timezone ?? member.house.timezone);
    return { ...saved, next, progress: await progressIn(tx, member, today) };
  }

  async function loadMember(tx: Tx, memberId: string) {
    return tx.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
  }

  return {
    /** An answer to a specific check-in (a button or form): refused unless it is the member's own and still open. */
    async answerById(memberId: string, checkinId: string, patch: AnswerPatch, source: string): Promise<AnswerOutcome> {
      return db.$transaction(async (tx) => {
        // The check-in with what is needed of its member and house, in one raw statement: this
        // runs on every press, and a model query with includes costs a statement per table and
        // a query compilation in Prisma.
        const [found] = await tx.$queryRaw<PressedCheckinRow[]>`
          SELECT c.id, c."memberId", c."localDate", c."closesAt", c.status::text AS status, c.feeling::text AS feeling,
            c."answeredAt", m."houseId", m."displayName", m."shareLapseWithBuddy", m.timezone, m.status::text AS "memberStatus",
            h.country AS "houseCountry", h.settings AS "houseSettings", h.timezone AS "houseTimezone"
          FROM "Checkin" c JOIN "Member" m ON m.id = c."memberId" JOIN "House" h ON h.id = m."houseId"
          WHERE c.id = ${checkinId}`;
        // A forwarded or forged button for someone else's check-in looks exactly like a missing one.
        if (!found || found.memberId !== memberId) return { outcome: "not_found" } as const;
        if (found.memberStatus !== "active") return { outcome: "not_active" } as const;
        const member: AnsweringMember = {
          id: found.memberId,
          houseId: found.houseId,
          displayName: found.displayName,
          shareLapseWithBuddy: found.shareLapseWithBuddy,
          timezone: found.timezone,
          house: { country: found.houseCountry, settings: found.houseSettings, timezone: found.houseTimezone },
        };
        const checkin = {
          id: found.id,
          localDate: found.localDate,
          closesAt: found.closesAt,
          status: found.status as Checkin["status"],
          feeling: found.feeling as Checkin["feeling"],
          answeredAt: found.answeredAt,
        };
        return apply(tx, member, checkin, patch, source);
      });
    },

    /**
     * An answer given any time (/checkin or words in a DM): to the check-in whose window is open,
     * or else today's, created early if it has not been prompted yet.
     */
    async answerCurrent(memberId: string, patch: AnswerPatch, source: string): Promise<AnswerOutcome> {
      return db.$transaction(async (tx) => {
        const member = await loadMember(tx, memberId);
        if (member.status !== "active" || member.consentAt === null) return { outcome: "not_active" } as const;
        const now = clock.now();
        let checkin = await tx.checkin.findFirst({
          where: { memberId, closesAt: { gt: now }, status: { in: ["pending", "answered"] } },
          orderBy: { localDate: "desc" },
        });
        if (!checkin) {
          const { time, zone } = effectiveSchedule(member, member.house);
          const localDate = localDateOf(now, zone);
          const existing = await tx.checkin.findUnique({ where: { memberId_localDate: { memberId, localDate } } });
          if (existing) return { outcome: "closed" } as const;
          if (await excusedOn(tx, memberId, localDate)) return { outcome: "closed" } as const;
          const dueAt = checkinInstantOn(localDate, time, zone);
          const window = checkinWindow(dueAt, readHouseSettings(member.house.settings));
          // An early answer stays open until the day's normal window closes, and at least a few hours.
          const closesAt = new Date(Math.max(window.closesAt.getTime(), now.getTime() + 3 * 3600_000));
          checkin = await tx.checkin.create({ data: { memberId, localDate, dueAt, closesAt, status: "pending" } });
        }
        return apply(tx, member, checkin, patch, source);
      });
    },

    async progress(memberId: string): Promise<Progress> {
      const member = await loadMember(db, memberId);
      return progressIn(db, member, localDateOf(clock.now(), member.timezone ?? member.house.timezone));
    },

    /** The check-in a button refers to, if it is the member's own. */
    async ownCheckin(memberId: string, checkinId: string) {
      const checkin = await db.checkin.findUnique({ where: { id: checkinId } });
      return checkin && checkin.memberId === memberId ? checkin : null;
    },
  };
}

export type CheckinAnswers = ReturnType<typeof createCheckinAnswers>;
