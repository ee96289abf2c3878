import { applyManualFields, blankDraft, checkDraft, type ManualFields, type MeetingDraft, slugify } from "../../domain/meetings/index.ts";
import type { Meeting } from "../../generated/prisma/client.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps, Tx } from "../deps.ts";
import { feedFields } from "./importFeed.ts";
import { findMeeting, type Lookup } from "./lookup.ts";

export type AdminResult =
  | { outcome: "saved"; meeting: Meeting }
  | { outcome: "invalid"; reason: string }
  | Exclude<Lookup, { outcome: "found" }>;

function draftOf(meeting: Meeting): MeetingDraft {
  return {
    slug: meeting.externalSlug,
    name: meeting.name,
    fellowship: meeting.fellowship,
    weekdays: meeting.weekdays,
    startTime: meeting.startTime,
    durationMinutes: meeting.durationMinutes,
    timezone: meeting.timezone,
    types: meeting.types,
    location: meeting.location,
    address: meeting.address,
    conferenceUrl: meeting.conferenceUrl,
    conferencePhone: meeting.conferencePhone,
    notes: meeting.notes,
    required: meeting.required,
  };
}

/** A slug no meeting of the house uses yet, from any source, so a typed slug always names one meeting. */
async function freeSlug(tx: Tx, houseId: string, wanted: string): Promise<string> {
  const taken = new Set(
    (await tx.meeting.findMany({ where: { houseId, externalSlug: { startsWith: wanted } }, select: { externalSlug: true } })).map(
      (m) => m.externalSlug,
    ),
  );
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

/** Counsellors' hand-kept meetings: add, edit, remove and restore, each audited. */
export function createMeetingAdmin(deps: ServiceDeps) {
  const { db, clock } = deps;

  async function audit(tx: Tx, houseId: string, actorId: string, action: string, meeting: Meeting) {
    await recordAudit(tx, { houseId, actorId, action, details: { meetingId: meeting.id, slug: meeting.externalSlug }, at: clock.now() });
  }

  return {
    async add(houseId: string, actorId: string, fields: ManualFields): Promise<AdminResult> {
      if (!fields.name || !fields.days || !fields.time) {
        return { outcome: "invalid", reason: "a new meeting needs a name, its days and its start time" };
      }
      return db.$transaction(async (tx) => {
        const house = await tx.house.findUniqueOrThrow({ where: { id: houseId } });
        const applied = applyManualFields(blankDraft(slugify(fields.name ?? ""), house.timezone), fields);
        if (!applied.ok) return { outcome: "invalid", reason: applied.reason } as const;
        const checked = checkDraft(applied.draft);
        if (!checked.ok) return { outcome: "invalid", reason: checked.reason } as const;
        const draft = checked.draft;
        const meeting = await tx.meeting.create({
          data: {
            houseId,
            source: "manual",
            externalSlug: await freeSlug(tx, houseId, draft.slug),
            required: draft.required,
            ...feedFields(draft),
          },
        });
        await audit(tx, houseId, actorId, "meeting.added", meeting);
        return { outcome: "saved", meeting } as const;
      });
    },

    async edit(houseId: string, actorId: string, ref: string, fields: ManualFields): Promise<AdminResult> {
      return db.$transaction(async (tx) => {
        const found = await findMeeting(tx, houseId, { ref }, { includeRemoved: true });
        if (found.outcome !== "found") return found;
        const applied = applyManualFields(draftOf(found.meeting), fields);
        if (!applied.ok) return { outcome: "invalid", reason: applied.reason } as const;
        const checked = checkDraft(applied.draft);
        if (!checked.ok) return { outcome: "invalid", reason: checked.reason } as const;
        const meeting = await tx.meeting.update({
          where: { id: found.meeting.id },
          // A changed schedule is due again at instants the next sweep works out.
          data: { required: checked.draft.required, ...feedFields(checked.draft), nextReminderAt: null, nextFollowUpAt: null },
        });
        await audit(tx, houseId, actorId, "meeting.edited", meeting);
        return { outcome: "saved", meeting } as const;
      });
    },

    /**
     * Removing keeps the row (attendance history points at it) but stops its reminders, including
     * any already queued and not yet sent.
     */
    async remove(houseId: string, actorId: string, ref: string): Promise<AdminResult> {
      return db.$transaction(async (tx) => {
        const found = await findMeeting(tx, houseId, { ref });
        if (found.outcome !== "found") return found;
        const meeting = await tx.meeting.update({ where: { id: found.meeting.id }, data: { active: false } });
        await tx.outbox.updateMany({
          where: { correlationKey: `meeting:${meeting.id}`, status: "pending" },
          data: { status: "cancelled", lastError: "meeting removed" },
        });
        await audit(tx, houseId, actorId, "meeting.removed", meeting);
        return { outcome: "saved", meeting } as const;
      });
    },

    async restore(houseId: string, actorId: string, ref: string): Promise<AdminResult> {
      return db.$transaction(async (tx) => {
        const found = await findMeeting(tx, houseId, { ref }, { includeRemoved: true });
        if (found.outcome !== "found") return found;
        const meeting = await tx.meeting.update({ where: { id: found.meeting.id }, data: { active: true } });
        await audit(tx, houseId, actorId, "meeting.restored", meeting);
        return { outcome: "saved", meeting } as const;
      });
    },

    /** Every meeting of the house, active first, with how many people follow each. */
    async list(houseId: string) {
      const meetings = await db.meeting.findMany({
        where: { houseId },
        orderBy: [{ active: "desc" }, { name: "asc" }],
        include: { _count: { select: { subscriptions: true } } },
      });
      return meetings.map(({ _count, ...meeting }) => ({ meeting, followers: _count.subscriptions }));
    },
  };
}
