import type { Attachment } from "../../core/message.ts";
import { addDays, checkinInstantOn, localDateOf } from "../../domain/checkin/schedule.ts";
import { meetingsCalendar, type Occurrence, occurrencesBetween } from "../../domain/meetings/index.ts";
import type { Meeting } from "../../generated/prisma/client.ts";
import type { ServiceDeps, Tx } from "../deps.ts";
import { findMeeting, type Lookup, type MeetingTarget } from "./lookup.ts";

export interface Upcoming {
  zone: string;
  today: string;
  items: Array<{ meeting: Meeting; occurrence: Occurrence; followed: boolean; readerDate: string }>;
  /** Meetings the member can still choose to follow (not required, not followed). */
  followable: Meeting[];
}

export type FollowResult =
  | { outcome: "followed" | "already" | "unfollowed" | "not_following"; meeting: Meeting }
  | Exclude<Lookup, { outcome: "found" }>;

async function memberWithHouse(tx: Tx, memberId: string) {
  return tx.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
}

/** Meetings a member is reminded of: those they follow, and for residents every required one. */
async function followedMeetings(tx: Tx, memberId: string): Promise<{ meetings: Meeting[]; followedIds: Set<string> }> {
  const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
  const subscriptions = await tx.meetingSubscription.findMany({
    where: { memberId, meeting: { active: true } },
    include: { meeting: true },
  });
  const followedIds = new Set(subscriptions.map((s) => s.meetingId));
  const required =
    member.role === "resident"
      ? await tx.meeting.findMany({ where: { houseId: member.houseId, active: true, required: true, id: { notIn: [...followedIds] } } })
      : [];
  const meetings = [...subscriptions.map((s) => s.meeting), ...required].sort((a, b) => a.name.localeCompare(b.name));
  return { meetings, followedIds };
}

/** A resident's view of the house's meetings, in their own time zone. */
export function createResidentMeetings(deps: ServiceDeps) {
  const { db, clock } = deps;

  async function setFollowing(memberId: string, target: MeetingTarget, follow: boolean): Promise<FollowResult> {
    return db.$transaction(async (tx) => {
      const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
      const found = await findMeeting(tx, member.houseId, target);
      if (found.outcome !== "found") return found;
      const meeting = found.meeting;
      if (follow) {
        const created = await tx.meetingSubscription.createMany({
          data: [{ memberId, meetingId: meeting.id, createdAt: clock.now() }],
          skipDuplicates: true,
        });
        return { outcome: created.count === 1 ? "followed" : "already", meeting } as const;
      }
      const deleted = await tx.meetingSubscription.deleteMany({ where: { memberId, meetingId: meeting.id } });
      return { outcome: deleted.count === 1 ? "unfollowed" : "not_following", meeting } as const;
    });
  }

  return {
    /** Today's meetings not yet over, then the rest of the next seven days. */
    async upcoming(memberId: string): Promise<Upcoming> {
      const now = clock.now();
      const member = await memberWithHouse(db, memberId);
      const zone = member.timezone ?? member.house.timezone;
      const today = localDateOf(now, zone);
      const from = checkinInstantOn(today, "00:00", zone);
      const to = checkinInstantOn(addDays(today, 7), "00:00", zone);
      const meetings = await db.meeting.findMany({ where: { houseId: member.houseId, active: true } });
      const subscribed = new Set(
        (await db.meetingSubscription.findMany({ where: { memberId }, select: { meetingId: true } })).map((s) => s.meetingId),
      );
      const items = meetings
        .flatMap((meeting) =>
          occurrencesBetween(meeting, from, to)
            .filter((occurrence) => occurrence.endsAt > now)
            .map((occurrence) => ({
              meeting,
              occurrence,
              followed: subscribed.has(meeting.id),
              readerDate: localDateOf(occurrence.startsAt, zone),
            })),
        )
        .sort((a, b) => a.occurrence.startsAt.getTime() - b.occurrence.startsAt.getTime() || a.meeting.name.localeCompare(b.meeting.name));
      const followable = meetings.filter((m) => !m.required && !subscribed.has(m.id)).sort((a, b) => a.name.localeCompare(b.name));
      return { zone, today, items, followable };
    },

    follow: (memberId: string, target: MeetingTarget) => setFollowing(memberId, target, true),
    unfollow: (memberId: string, target: MeetingTarget) => setFollowing(memberId, target, false),

    async followed(memberId: string) {
      return followedMeetings(db, memberId);
    },

    /** The meetings a member follows as an iCalendar file; null when they follow none. */
    async calendar(memberId: string): Promise<{ attachment: Attachment; count: number } | null> {
      const member = await memberWithHouse(db, memberId);
      const { meetings } = await followedMeetings(db, memberId);
      if (meetings.length === 0) return null;
      const text = meetingsCalendar(meetings, { now: clock.now(), name: `${member.house.name} meetings` });
      return {
        count: meetings.length,
        attachment: { filename: "meetings.ics", contentType: "text/calendar", base64: Buffer.from(text, "utf8").toString("base64") },
      };
    },
  };
}
