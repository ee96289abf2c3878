import {
  type FeedFormat,
  type Fellowship,
  MAX_FEED_BYTES,
  type MeetingDraft,
  parseFeed,
  type RejectedRow,
} from "../../domain/meetings/index.ts";
import type { Meeting } from "../../generated/prisma/client.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps } from "../deps.ts";
import { type FeedLimits, type FeedText, fetchFeedText, readFeedFile } from "./fetchFeed.ts";

export type FeedSource = { kind: "url"; url: string } | { kind: "text"; text: string } | { kind: "file"; path: string };

export interface ImportRequest {
  source: FeedSource;
  format: FeedFormat | "auto";
  fellowship?: Fellowship;
}

export type ImportReport =
  | {
      outcome: "imported";
      format: FeedFormat;
      created: number;
      updated: number;
      unchanged: number;
      rejected: RejectedRow[];
      /** Slugs imported earlier from the same kind of feed that this feed no longer lists; they are left as they are. */
      notInFeed: string[];
    }
  | { outcome: "refused"; reason: string };

/** The fields a feed owns. `required` and `active` belong to the house and survive a re-import. */
export function feedFields(draft: MeetingDraft) {
  return {
    name: draft.name,
    fellowship: draft.fellowship,
    weekdays: draft.weekdays,
    startTime: draft.startTime,
    durationMinutes: draft.durationMinutes,
    timezone: draft.timezone,
    types: draft.types,
    location: draft.location,
    address: draft.address,
    conferenceUrl: draft.conferenceUrl,
    conferencePhone: draft.conferencePhone,
    notes: draft.notes,
  };
}

function sameAsStored(meeting: Meeting, fields: ReturnType<typeof feedFields>): boolean {
  return (Object.keys(fields) as Array<keyof typeof fields>).every((key) => JSON.stringify(meeting[key]) === JSON.stringify(fields[key]));
}

/**
 * Imports a feed into a house in one transaction: good rows are created or updated by slug,
 * bad rows are reported, and a feed refused as a whole (unreachable, too large, not JSON, not a
 * list) writes nothing, so the meetings from before stay exactly as they were.
 */
export function createFeedImport(deps: ServiceDeps, limits: FeedLimits) {
  const { db, clock, logger } = deps;

  async function textOf(source: FeedSource): Promise<FeedText> {
    switch (source.kind) {
      case "url":
        return fetchFeedText(source.url, limits);
      case "file":
        return readFeedFile(source.path, limits.maxBytes);
      case "text":
        return { ok: true, text: source.text };
    }
  }

  return async function importFeed(houseId: string, actorId: string | null, request: ImportRequest): Promise<ImportReport> {
    const house = await db.house.findUniqueOrThrow({ where: { id: houseId } });
    const text = await textOf(request.source);
    if (!text.ok) return { outcome: "refused", reason: text.reason };
    const parsed = parseFeed(text.text, { format: request.format, timezone: house.timezone, fellowship: request.fellowship });
    if (!parsed.ok) return { outcome: "refused", reason: parsed.detail };
    const source = parsed.format;
    const report = await db.$transaction(
      async (tx) => {
        const existing = await tx.meeting.findMany({ where: { houseId, source } });
        const bySlug = new Map(existing.map((meeting) => [meeting.externalSlug, meeting]));
        let created = 0;
        let updated = 0;
        let unchanged = 0;
        for (const draft of parsed.meetings) {
          const fields = feedFields(draft);
          const stored = bySlug.get(draft.slug);
          if (!stored) {
            await tx.meeting.create({ data: { houseId, source, externalSlug: draft.slug, required: false, ...fields } });
            created++;
          } else if (sameAsStored(stored, fields)) {
            unchanged++;
          } else {
            // A changed schedule is due again at instants the next sweep works out.
            await tx.meeting.update({ where: { id: stored.id }, data: { ...fields, nextReminderAt: null, nextFollowUpAt: null } });
            updated++;
          }
        }
        const listed = new Set(parsed.meetings.map((draft) => draft.slug));
        const notInFeed = existing.filter((m) => m.active && !listed.has(m.externalSlug)).map((m) => m.externalSlug);
        await recordAudit(tx, {
          houseId,
          actorId,
          action: "meetings.imported",
          details: {
            from: request.source.kind,
            format: source,
            created,
            updated,
            unchanged,
            rejected: parsed.rejected.length,
            notInFeed: notInFeed.length,
          },
          at: clock.now(),
        });
        return { created, updated, unchanged, notInFeed };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    logger.info(
      { houseId, format: source, ...report, notInFeed: report.notInFeed.length, rejected: parsed.rejected.length },
      "meeting feed imported",
    );
    return { outcome: "imported", format: source, rejected: parsed.rejected, ...report };
  };
}

export const DEFAULT_FEED_LIMITS: FeedLimits = { timeoutMs: 15_000, maxBytes: MAX_FEED_BYTES };
