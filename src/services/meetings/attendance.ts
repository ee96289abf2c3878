import { addDays, daysBetween, localDateOf } from "../../domain/checkin/schedule.ts";
import { localWhen, nextOccurrences, occurrenceOn, occurrencesBetween } from "../../domain/meetings/index.ts";
import type { AttendanceStatus, Meeting } from "../../generated/prisma/client.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps } from "../deps.ts";

/** How far back a "did you go?" button still works: the week it belongs to, and a little more. */
const ATTENDANCE_ANSWER_DAYS = 14;

export type RecordResult =
  | { outcome: "recorded"; meeting: Meeting; status: AttendanceStatus; when: string; next: string | null }
  | { outcome: "not_found" | "not_yet" | "too_old" };

export interface AttendanceEntry {
  localDate: string;
  meetingName: string;
  required: boolean;
  /** null: the meeting was one they follow or a required one, it is over, and there is no answer. */
  status: AttendanceStatus | null;
}

export interface ResidentWeek {
  memberId: string;
  displayName: string;
  went: number;
  couldNot: number;
  excused: number;
  noAnswer: number;
  /** Days their check-in said "yes" to "did you get to a meeting today?". */
  checkinYesDays: number;
  /** Days their check-in answered that question at all. */
  checkinAnsweredDays: number;
  /** Days with a meeting by either account (a "went" answer or a check-in "yes"). */
  meetingDays: number;
  entries: AttendanceEntry[];
}

export interface WeekReport {
  weekStart: string;
  weekEnd: string;
  residents: ResidentWeek[];
}

export function createAttendance(deps: ServiceDeps) {
  const { db, clock } = deps;

  return {
    /** A resident's own answer (a "did you go?" button): their meeting, an occurrence that has started, not long ago. */
    async record(memberId: string, meetingId: string, localDate: string, status: AttendanceStatus, source: string): Promise<RecordResult> {
      return db.$transaction(async (tx) => {
        const now = clock.now();
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
        const meeting = await tx.meeting.findUnique({ where: { id: meetingId } });
        // A forged button for another house's meeting looks exactly like a missing one.
        if (!meeting || meeting.houseId !== member.houseId || !/^\d{4}-\d{2}-\d{2}$/.test(localDate))
          return { outcome: "not_found" } as const;
        const occurrence = occurrenceOn(meeting, localDate);
        if (!occurrence) return { outcome: "not_found" } as const;
        if (occurrence.startsAt > now) return { outcome: "not_yet" } as const;
        if (daysBetween(localDate, localDateOf(now, meeting.timezone)) > ATTENDANCE_ANSWER_DAYS) return { outcome: "too_old" } as const;
        await tx.attendance.upsert({
          where: { memberId_meetingId_localDate: { memberId, meetingId, localDate } },
          create: { memberId, meetingId, localDate, status, source, recordedAt: now },
          update: { status, source, recordedAt: now },
        });
        const zone = member.timezone ?? member.house.timezone;
        const [next] = meeting.active ? nextOccurrences(meeting, now, 1) : [];
        return {
          outcome: "recorded",
          meeting,
          status,
          when: localWhen(occurrence.startsAt, zone, "ccc d LLL"),
          next: next ? localWhen(next.startsAt, zone, "ccc d LLL 'at' HH:mm") : null,
        } as const;
      });
    },

    /**
     * Meeting attendance per resident for the week starting `weekStart` (a local date, Monday in
     * the reports): the "did you go?" answers, the followed or required meetings that are over
     * with no answer, and what the daily check-in said about meetings. Reading it is audited.
     */
    async attendanceForWeek(
      houseId: string,
      weekStart: string,
      options: { viewerId?: string; memberId?: string } = {},
    ): Promise<WeekReport> {
      const now = clock.now();
      const weekEnd = addDays(weekStart, 6);
      const residents = await db.member.findMany({
        where: {
          houseId,
          role: "resident",
          status: { in: ["active", "paused"] },
          isBot: false,
          ...(options.memberId ? { id: options.memberId } : {}),
        },
        orderBy: { displayName: "asc" },
      });
      const ids = residents.map((r) => r.id);
      const [records, checkins, meetings, subscriptions] = await Promise.all([
        db.attendance.findMany({
          where: { memberId: { in: ids }, localDate: { gte: weekStart, lte: weekEnd } },
          include: { meeting: true },
        }),
        db.checkin.findMany({
          where: { memberId: { in: ids }, localDate: { gte: weekStart, lte: weekEnd }, meetingToday: { not: null } },
          select: { memberId: true, localDate: true, meetingToday: true },
        }),
        db.meeting.findMany({ where: { houseId, active: true } }),
        db.meetingSubscription.findMany({ where: { memberId: { in: ids } } }),
      ]);
      // Occurrences dated inside the week, in each meeting's own zone; a day either side covers the zones.
      const from = new Date(Date.parse(`${addDays(weekStart, -1)}T00:00:00Z`));
      const to = new Date(Date.parse(`${addDays(weekEnd, 2)}T00:00:00Z`));
      const occurrences = new Map(
        meetings.map((m) => [
          m.id,
          occurrencesBetween(m, from, to).filter((o) => o.localDate >= weekStart && o.localDate <= weekEnd && o.endsAt <= now),
        ]),
      );
      const report: ResidentWeek[] = residents.map((resident) => {
        const own = records.filter((r) => r.memberId === resident.id);
        const entries: AttendanceEntry[] = own.map((r) => ({
          localDate: r.localDate,
          meetingName: r.meeting.name,
          required: r.meeting.required,
          status: r.status,
        }));
        const answered = new Set(own.map((r) => `${r.meetingId}:${r.localDate}`));
        for (const meeting of meetings) {
          const followedSince = subscriptions.find((s) => s.memberId === resident.id && s.meetingId === meeting.id)?.createdAt;
          const since = followedSince ?? (meeting.required ? resident.consentAt : null);
          if (!since) continue;
          for (const occurrence of occurrences.get(meeting.id) ?? []) {
            if (occurrence.startsAt < since || answered.has(`${meeting.id}:${occurrence.localDate}`)) continue;
            entries.push({ localDate: occurrence.localDate, meetingName: meeting.name, required: meeting.required, status: null });
          }
        }
        entries.sort((a, b) => a.localDate.localeCompare(b.localDate) || a.meetingName.localeCompare(b.meetingName));
        const days = checkins.filter((c) => c.memberId === resident.id);
        const yesDays = new Set(days.filter((c) => c.meetingToday).map((c) => c.localDate));
        const wentDays = new Set(own.filter((r) => r.status === "went").map((r) => r.localDate));
        const count = (status: AttendanceStatus | null) => entries.filter((e) => e.status === status).length;
        return {
          memberId: resident.id,
          displayName: resident.displayName,
          went: count("went"),
          couldNot: count("could_not"),
          excused: count("excused"),
          noAnswer: count(null),
          checkinYesDays: yesDays.size,
          checkinAnsweredDays: days.length,
          meetingDays: new Set([...yesDays, ...wentDays]).size,
          entries,
        };
      });
      if (options.viewerId) {
        await recordAudit(db, {
          houseId,
          actorId: options.viewerId,
          action: "attendance.viewed",
          subjectId: options.memberId ?? null,
          details: { weekStart },
          at: now,
        });
      }
      return { weekStart, weekEnd, residents: report };
    },
  };
}
