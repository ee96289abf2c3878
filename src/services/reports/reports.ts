import { type ChartImage, digestChart, summaryChart } from "../../charts/index.ts";
import type { Message } from "../../core/message.ts";
import { addDays, checkinInstantOn, localDateOf, nextCheckinInstant } from "../../domain/checkin/index.ts";
import { readHouseSettings } from "../../domain/houseSettings.ts";
import {
  digestText,
  type HouseDigestFigures,
  houseDigestFigures,
  type ResidentSummaryFigures,
  residentSummaryFigures,
  summaryText,
} from "../../domain/reports/index.ts";
import type { House, Member } from "../../generated/prisma/client.ts";
import { enqueue, type OutboxItem } from "../../outbox/enqueue.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps } from "../deps.ts";
import { loadDigestInput, loadSummaryInput } from "./load.ts";
import { slug, viewMessage } from "./messages.ts";

/** A digest not sent within this long after the house's digest time (the bot was down) is skipped; /report still works. */
export const DIGEST_LATE_LIMIT_MS = 12 * 3_600_000;

export type SummaryOutcome =
  | { outcome: "shown"; message: Message; figures: ResidentSummaryFigures }
  /** The viewer is not a counsellor or admin of this house. */
  | { outcome: "not_allowed" }
  /** No resident by that id or platform user in this house. */
  | { outcome: "not_found" };

/** A house's digest for one morning; each audience's message (and its chart) is drawn when first asked for. */
export interface HouseDigest {
  figures: HouseDigestFigures;
  regulated: boolean;
  /** The DM each counsellor gets: names, and answer values unless the house is in regulated mode. */
  forCounsellors(): Promise<Message>;
  /** The staff channel copy: counts only, no names, no answers. */
  forStaffChannel(): Promise<Message>;
}

export function createReports(deps: ServiceDeps) {
  const { db, clock, logger } = deps;

  /** Draws a chart; a failure is logged and the view goes out as text, which carries every figure. */
  async function chartOrNull(draw: () => Promise<ChartImage>, what: string): Promise<ChartImage | null> {
    try {
      return await draw();
    } catch (error) {
      logger.error({ err: error, chart: what }, "chart rendering failed; sending the text alone");
      return null;
    }
  }

  async function counsellorOf(houseId: string, counsellorId: string): Promise<Member | null> {
    const viewer = await db.member.findUnique({ where: { id: counsellorId } });
    if (!viewer || viewer.houseId !== houseId || viewer.status === "discharged") return null;
    return viewer.role === "counsellor" || viewer.role === "admin" ? viewer : null;
  }

  /**
   * A resident of the house by platform user id (a mention) or by member id. An alert can be about
   * a staff member too (the bot cannot reach them), so the alert's button accepts any member.
   */
  async function subjectOf(houseId: string, ref: string, residentsOnly: boolean): Promise<(Member & { house: House }) | null> {
    const found =
      (await db.member.findUnique({ where: { houseId_platformUserId: { houseId, platformUserId: ref } }, include: { house: true } })) ??
      (await db.member.findUnique({ where: { id: ref }, include: { house: true } }));
    if (!found || found.houseId !== houseId) return null;
    return !residentsOnly || found.role === "resident" ? found : null;
  }

  async function residentSummary(
    houseId: string,
    counsellorId: string,
    memberPlatformUserIdOrId: string,
    context: { via: "command" | "alert"; alertId?: string } = { via: "command" },
  ): Promise<SummaryOutcome> {
    if (!(await counsellorOf(houseId, counsellorId))) return { outcome: "not_allowed" };
    const resident = await subjectOf(houseId, memberPlatformUserIdOrId, context.via === "command");
    if (!resident) return { outcome: "not_found" };
    const now = clock.now();
    const regulated = readHouseSettings(resident.house.settings).regulatedMode;
    const figures = residentSummaryFigures(await loadSummaryInput(db, resident, now));
    const chart = await chartOrNull(() => summaryChart(figures, { countsOnly: regulated }), "summary");
    // Written before the summary is handed back: a read that is shown is a read that is recorded.
    await recordAudit(db, {
      houseId,
      actorId: counsellorId,
      action: "resident.summary_viewed",
      subjectId: resident.id,
      details: { via: context.via, ...(context.alertId ? { alertId: context.alertId } : {}) },
      at: now,
    });
    const message = viewMessage(summaryText(figures, { regulated }), chart, `resident-summary-${figures.today}.png`, { ephemeral: true });
    return { outcome: "shown", message, figures };
  }

  /** The digest for the house-local morning `localDate`, reporting on the day before; alert ages count to `now`. */
  async function houseDigest(houseId: string, localDate: string, now: Date = clock.now()): Promise<HouseDigest> {
    const house = await db.house.findUniqueOrThrow({ where: { id: houseId } });
    const regulated = readHouseSettings(house.settings).regulatedMode;
    const figures = houseDigestFigures(await loadDigestInput(db, house, localDate, now));
    const filename = `digest-${slug(house.name)}-${localDate}.png`;
    const charts = new Map<boolean, Promise<ChartImage | null>>();
    const chart = (countsOnly: boolean) => {
      let drawn = charts.get(countsOnly);
      if (!drawn) {
        drawn = chartOrNull(() => digestChart(figures, { countsOnly }), "digest");
        charts.set(countsOnly, drawn);
      }
      return drawn;
    };
    return {
      figures,
      regulated,
      forCounsellors: async () => viewMessage(digestText(figures, { kind: "counsellor", regulated }), await chart(regulated), filename),
      forStaffChannel: async () => viewMessage(digestText(figures, { kind: "staffChannel" }), await chart(true), filename),
    };
  }

  /**
   * Whether a morning digest has anything to say: a check-in was due yesterday, or an alert is
   * still open. A house set up today, or one whose residents were all away, gets no empty digest.
   */
  async function hasNews(houseId: string, yesterday: string): Promise<boolean> {
    const due = await db.checkin.count({ where: { localDate: yesterday, member: { houseId } } });
    return due > 0 || (await db.alert.count({ where: { houseId, state: { in: ["open", "acknowledged"] } } })) > 0;
  }

  /**
   * Queues today's digest for every counsellor (and the staff channel) who has not had it yet.
   * "quiet" means it is digest time but there is nothing to report yet: news may still come
   * (an alert opens) before the late limit.
   */
  async function sendDigestIfDue(
    house: Pick<House, "id" | "timezone" | "settings" | "staffChannelId">,
    now: Date,
  ): Promise<number | "quiet"> {
    const settings = readHouseSettings(house.settings);
    const today = localDateOf(now, house.timezone);
    const dueAt = checkinInstantOn(today, settings.digestTime, house.timezone);
    const late = now.getTime() - dueAt.getTime();
    if (late < 0 || late > DIGEST_LATE_LIMIT_MS) return 0;
    if (!(await hasNews(house.id, addDays(today, -1)))) return "quiet";
    const counsellors = await db.member.findMany({
      where: { houseId: house.id, role: { in: ["counsellor", "admin"] }, status: { not: "discharged" }, isBot: false, reachable: true },
      select: { id: true },
    });
    const keyFor = (target: string) => `digest:${house.id}:${today}:${target}`;
    const channel = settings.digestToStaffChannel ? house.staffChannelId : null;
    const wanted: Array<{ key: string; target: { targetMemberId: string } | { targetChannelId: string } }> = counsellors.map((c) => ({
      key: keyFor(c.id),
      target: { targetMemberId: c.id },
    }));
    if (channel) wanted.push({ key: keyFor("channel"), target: { targetChannelId: channel } });
    if (wanted.length === 0) return 0;
    const queued = await db.outbox.findMany({
      where: { idempotencyKey: { in: wanted.map((w) => w.key) } },
      select: { idempotencyKey: true },
    });
    const missing = wanted.filter((w) => !queued.some((q) => q.idempotencyKey === w.key));
    if (missing.length === 0) return 0;
    const digest = await houseDigest(house.id, today, now);
    const items: OutboxItem[] = [];
    for (const w of missing) {
      items.push({
        idempotencyKey: w.key,
        houseId: house.id,
        lane: "bulk",
        message: "targetMemberId" in w.target ? await digest.forCounsellors() : await digest.forStaffChannel(),
        ...w.target,
        correlationKey: `digest:${house.id}:${today}`,
        notBefore: now,
      });
    }
    return enqueue(db, items);
  }

  return {
    residentSummary,

    /** The summary behind an alert's "Resident summary" button. */
    async summaryForAlert(alertId: string, counsellorId: string): Promise<SummaryOutcome> {
      const alert = await db.alert.findUnique({ where: { id: alertId }, select: { houseId: true, subjectId: true } });
      if (!alert) return { outcome: "not_found" };
      return residentSummary(alert.houseId, counsellorId, alert.subjectId, { via: "alert", alertId });
    },

    houseDigest,

    /** `/report`: today's digest for the counsellor who asked, straight away; the read is audited. */
    async digestNow(houseId: string, counsellorId: string): Promise<Message | null> {
      const viewer = await counsellorOf(houseId, counsellorId);
      if (!viewer) return null;
      const house = await db.house.findUniqueOrThrow({ where: { id: houseId } });
      const now = clock.now();
      const digest = await houseDigest(houseId, localDateOf(now, house.timezone), now);
      await recordAudit(db, {
        houseId,
        actorId: counsellorId,
        action: "report.digest_viewed",
        details: { date: digest.figures.date },
        at: now,
      });
      return { ...(await digest.forCounsellors()), ephemeral: true };
    },

    /**
     * Every minute: the houses whose digest time has come (each house's `nextDigestAt`, or null when
     * it has to be worked out), so a quiet minute costs one indexed query however many houses there
     * are. A house is looked at once a day, at its local digest time; queuing is idempotent by key,
     * so another process looking at the same house at the same time sends nothing twice.
     */
    async sweep(now: Date): Promise<void> {
      const houses = await db.house.findMany({
        where: { OR: [{ nextDigestAt: null }, { nextDigestAt: { lte: now } }] },
        select: { id: true, timezone: true, settings: true, staffChannelId: true, nextDigestAt: true },
      });
      for (const house of houses) {
        const { digestTime } = readHouseSettings(house.settings);
        let next = nextCheckinInstant(now, digestTime, house.timezone).dueAt;
        try {
          if (checkinInstantOn(localDateOf(now, house.timezone), digestTime, house.timezone) <= now) {
            const queued = await sendDigestIfDue(house, now);
            // A house with nothing to say yet (set up today, say) is looked at again each minute until the late limit.
            if (queued === "quiet") next = now;
            else if (queued > 0) logger.info({ houseId: house.id, queued }, "morning digest queued");
          }
        } catch (error) {
          // One house's trouble must not keep the others' digests back; it is tried again next minute.
          logger.error({ err: error, houseId: house.id }, "morning digest failed; will retry next minute");
          continue;
        }
        // Only if nobody changed it meanwhile (a settings change clears it to be worked out again).
        await db.house.updateMany({
          where: { id: house.id, nextDigestAt: house.nextDigestAt },
          data: { nextDigestAt: next },
        });
      }
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
