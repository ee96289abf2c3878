import type { Meeting, MeetingSource } from "../../generated/prisma/client.ts";
import type { Tx } from "../deps.ts";

export type Lookup = { outcome: "found"; meeting: Meeting } | { outcome: "not_found" } | { outcome: "ambiguous"; meetings: Meeting[] };

const SOURCES: readonly MeetingSource[] = ["manual", "meeting_guide", "bmlt"];

/** How a meeting is named in commands: its slug, or "source/slug" when two sources share a slug. */
export function meetingRef(meeting: Pick<Meeting, "source" | "externalSlug">, qualified = false): string {
  return qualified ? `${meeting.source}/${meeting.externalSlug}` : meeting.externalSlug;
}

/** A meeting as a button knows it (its id) or as a person types it ("slug" or "source/slug"). */
export type MeetingTarget = { id: string } | { ref: string };

/**
 * Finds a house's meeting. Active meetings win over removed ones with the same slug; the lookup
 * never crosses houses, so an id from another house's button finds nothing.
 */
export async function findMeeting(
  tx: Tx,
  houseId: string,
  target: MeetingTarget,
  options: { includeRemoved?: boolean } = {},
): Promise<Lookup> {
  if ("id" in target) {
    const meeting = await tx.meeting.findUnique({ where: { id: target.id } });
    if (!meeting || meeting.houseId !== houseId || (!meeting.active && !options.includeRemoved)) return { outcome: "not_found" };
    return { outcome: "found", meeting };
  }
  const ref = target.ref.trim().replace(/^\[|\]$/g, "");
  const [first, second] = ref.split("/", 2);
  const qualified = second !== undefined && SOURCES.includes(first as MeetingSource);
  const candidates = await tx.meeting.findMany({
    where: {
      houseId,
      externalSlug: qualified ? second : ref,
      ...(qualified ? { source: first as MeetingSource } : {}),
      ...(options.includeRemoved ? {} : { active: true }),
    },
    orderBy: [{ active: "desc" }, { createdAt: "asc" }],
  });
  const active = candidates.filter((m) => m.active);
  const pool = active.length > 0 ? active : candidates;
  const [only] = pool;
  if (!only) return { outcome: "not_found" };
  if (pool.length > 1) return { outcome: "ambiguous", meetings: pool };
  return { outcome: "found", meeting: only };
}
