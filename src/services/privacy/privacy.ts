import { type Message, message } from "../../core/message.ts";
import { addDays, localDateOf } from "../../domain/checkin/index.ts";
import { readHouseSettings } from "../../domain/houseSettings.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps, Tx } from "../deps.ts";

export const EXPORT_VERSION = 1;

/** Plain words for /privacy show: what is stored, who sees it, for how long. */
export function privacyMessage(retentionDays: number, regulated: boolean): Message {
  return message(
    [
      "What I keep about you: your check-in answers (how the day was, craving, mood, meetings), notes you add (encrypted), your sobriety dates and milestones, absences you asked for, meetings you follow, your buddy pairings, and alerts raised about you.",
      `Who can see it: you, and the counsellors of your house${regulated ? " (in this house, chat messages to counsellors carry no answer details)" : ""}. Your buddy never sees your answers. Nothing about you is posted in shared channels except milestones you chose to celebrate.`,
      `How long: answers and notes are erased after ${retentionDays} days. Every time a counsellor opens your summary or exports data, it is written in an audit log.`,
      "Your choices: /privacy export sends you a file of everything about you. /privacy withdraw stops all check-ins and reminders at once. /privacy delete erases your answers, notes and history.",
    ].join("\n\n"),
    { title: "Your data", ephemeral: true },
  );
}

export function createPrivacy(deps: ServiceDeps) {
  const { db, clock, cipher } = deps;

  const decrypt = (value: string | null) => (value === null ? null : cipher.decrypt(value));
  let lastRetentionRun = 0;

  /** Deletes a member's answers and everything derived from them, keeping the minimal record. */
  async function eraseIn(tx: Tx, memberId: string): Promise<Record<string, number>> {
    const alerts = await tx.alert.findMany({ where: { subjectId: memberId }, select: { id: true } });
    const counts: Record<string, number> = {};
    // Delivered alert messages are purged already; pending ones about this person are withdrawn too.
    counts.outbox = (
      await tx.outbox.deleteMany({
        where: { OR: [{ targetMemberId: memberId }, { correlationKey: { in: alerts.map((a) => `alert:${a.id}`) } }] },
      })
    ).count;
    counts.checkins = (await tx.checkin.deleteMany({ where: { memberId } })).count;
    counts.signals = (await tx.riskSignal.deleteMany({ where: { memberId } })).count;
    counts.alerts = (await tx.alert.deleteMany({ where: { subjectId: memberId } })).count;
    counts.sobrietyEvents = (await tx.sobrietyEvent.deleteMany({ where: { memberId } })).count;
    counts.absences = (await tx.absence.deleteMany({ where: { memberId } })).count;
    counts.attendance = (await tx.attendance.deleteMany({ where: { memberId } })).count;
    counts.subscriptions = (await tx.meetingSubscription.deleteMany({ where: { memberId } })).count;
    counts.pings = (await tx.buddyPing.deleteMany({ where: { fromId: memberId } })).count;
    await tx.member.update({
      where: { id: memberId },
      data: {
        sobrietyDate: null,
        preferences: {},
        checkinTime: null,
        nextCheckinAt: null,
        shareLapseWithBuddy: false,
        celebrateInHouse: false,
      },
    });
    return counts;
  }

  return {
    async show(memberId: string): Promise<Message> {
      const member = await db.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
      const settings = readHouseSettings(member.house.settings);
      return privacyMessage(settings.retentionDays, settings.regulatedMode);
    },

    /** Everything about one resident, and only them, as JSON: the right of access and portability. */
    async exportFor(memberId: string): Promise<Record<string, unknown>> {
      const member = await db.member.findUniqueOrThrow({ where: { id: memberId }, include: { house: true } });
      const [checkins, sobrietyEvents, absences, subscriptions, attendance, pairings, roleGrants, alerts, audit] = await Promise.all([
        db.checkin.findMany({ where: { memberId }, orderBy: { localDate: "asc" } }),
        db.sobrietyEvent.findMany({ where: { memberId }, orderBy: { createdAt: "asc" } }),
        db.absence.findMany({ where: { memberId }, orderBy: { fromDate: "asc" } }),
        db.meetingSubscription.findMany({ where: { memberId }, include: { meeting: true } }),
        db.attendance.findMany({ where: { memberId }, include: { meeting: true } }),
        db.buddyPairing.findMany({
          where: { OR: [{ newcomerId: memberId }, { buddyId: memberId }] },
          include: { newcomer: true, buddy: true },
        }),
        db.roleGrant.findMany({ where: { memberId } }),
        db.alert.findMany({ where: { subjectId: memberId }, include: { events: true } }),
        db.auditLog.findMany({ where: { subjectId: memberId }, orderBy: { at: "asc" } }),
      ]);
      await recordAudit(db, {
        houseId: member.houseId,
        actorId: memberId,
        action: "privacy.exported_own",
        subjectId: memberId,
        at: clock.now(),
      });
      return {
        format: "recovery-checkin-bot export",
        version: EXPORT_VERSION,
        exportedAt: clock.now().toISOString(),
        you: {
          displayName: member.displayName,
          house: member.house.name,
          role: member.role,
          peerRole: member.peerRole,
          status: member.status,
          dischargedAt: member.dischargedAt,
          dischargeReason: decrypt(member.dischargeReason),
          programmeStart: member.programmeStart,
          sobrietyDate: member.sobrietyDate,
          checkinTime: member.checkinTime,
          timezone: member.timezone,
          consent: { at: member.consentAt, version: member.consentVersion, withdrawnAt: member.consentWithdrawnAt },
          celebrateInHouse: member.celebrateInHouse,
          shareLapseWithBuddy: member.shareLapseWithBuddy,
          preferences: member.preferences,
        },
        checkins: checkins.map((c) => ({
          date: c.localDate,
          status: c.status,
          feeling: c.feeling,
          craving: c.craving,
          mood: c.mood,
          meetingToday: c.meetingToday,
          note: decrypt(c.noteCipher),
          answeredAt: c.answeredAt,
        })),
        sobrietyHistory: sobrietyEvents.map((e) => ({ kind: e.kind, date: e.date, recordedAt: e.createdAt })),
        absences: absences.map((a) => ({ from: a.fromDate, to: a.toDate, reason: decrypt(a.reason), status: a.status })),
        meetingsFollowed: subscriptions.map((s) => s.meeting.name),
        attendance: attendance.map((a) => ({ meeting: a.meeting.name, date: a.localDate, status: a.status })),
        pairings: pairings.map((p) => ({
          you: p.newcomerId === memberId ? "newcomer" : "buddy",
          with: p.newcomerId === memberId ? p.buddy.displayName : p.newcomer.displayName,
          status: p.status,
          startedAt: p.startedAt,
          endedAt: p.endedAt,
        })),
        peerRoles: roleGrants.map((g) => ({
          role: g.peerRole,
          reason: decrypt(g.reason),
          grantedAt: g.createdAt,
          revokedAt: g.revokedAt,
          revokeReason: decrypt(g.revokeReason),
        })),
        alertsAboutYou: alerts.map((a) => ({
          kind: a.kind,
          severity: a.severity,
          state: a.state,
          raisedAt: a.createdAt,
          resolvedAt: a.resolvedAt,
          outcome: decrypt(a.outcome),
          timeline: a.events.map((e) => ({ what: e.kind, at: e.at })),
        })),
        whoLookedAtYourData: audit.map((entry) => ({ action: entry.action, at: entry.at })),
      };
    },

    /** Stops everything at once: no prompts, reminders or nudges; the record stays until they choose to erase. */
    async withdraw(memberId: string): Promise<void> {
      await db.$transaction(async (tx) => {
        const now = clock.now();
        const before = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
        const member = await tx.member.update({
          where: { id: memberId },
          // A discharged resident stays discharged; anyone else is back to "not agreed yet".
          data: {
            status: before.status === "discharged" ? "discharged" : "invited",
            consentAt: null,
            consentWithdrawnAt: now,
            nextCheckinAt: null,
          },
        });
        await tx.outbox.updateMany({ where: { targetMemberId: memberId, status: "pending" }, data: { status: "cancelled" } });
        await tx.checkin.updateMany({ where: { memberId, status: "pending" }, data: { remindAt: null, status: "excused" } });
        await recordAudit(tx, { houseId: member.houseId, actorId: memberId, action: "privacy.withdrawn", subjectId: memberId, at: now });
      });
    },

    /** Erases a resident's answers, notes and events; keeps the minimal member record and the audit of the erasure. */
    async erase(memberId: string, actorId: string): Promise<Record<string, number>> {
      return db.$transaction(async (tx) => {
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
        const counts = await eraseIn(tx, memberId);
        await recordAudit(tx, {
          houseId: member.houseId,
          actorId,
          action: "privacy.erased",
          subjectId: memberId,
          details: counts,
          at: clock.now(),
        });
        return counts;
      });
    },

    /** Part of the minute sweep: answers older than the house's retention are erased. */
    async retentionSweep(now: Date): Promise<void> {
      // Retention is counted in days: once an hour is plenty, and keeps the minute sweep light.
      if (now.getTime() - lastRetentionRun < 3600_000) return;
      lastRetentionRun = now.getTime();
      // Houses sharing a cutoff are erased together: a few statements an hour, not a few per house.
      const houses = await db.house.findMany({ select: { id: true, timezone: true, settings: true } });
      const groups = new Map<string, { cutoff: string; before: Date; houseIds: string[] }>();
      for (const house of houses) {
        const { retentionDays } = readHouseSettings(house.settings);
        const cutoff = addDays(localDateOf(now, house.timezone), -retentionDays);
        const before = new Date(now.getTime() - retentionDays * 86_400_000);
        const key = `${cutoff}|${before.getTime()}`;
        const group = groups.get(key) ?? { cutoff, before, houseIds: [] };
        group.houseIds.push(house.id);
        groups.set(key, group);
      }
      for (const { cutoff, before, houseIds } of groups.values()) {
        await db.$transaction(async (tx) => {
          const ids = Prisma.join(houseIds);
          const checkins = await tx.$queryRaw<Array<{ houseId: string }>>`
            DELETE FROM "Checkin" AS c USING "Member" AS m
            WHERE c."memberId" = m.id AND m."houseId" IN (${ids}) AND c."localDate" < ${cutoff}
            RETURNING m."houseId"`;
          const signals = await tx.$queryRaw<Array<{ houseId: string }>>`
            DELETE FROM "RiskSignal" WHERE "houseId" IN (${ids}) AND "occurredAt" < ${before} RETURNING "houseId"`;
          const erased = new Map<string, { checkins: number; signals: number }>();
          const count = (houseId: string, what: "checkins" | "signals") => {
            const counts = erased.get(houseId) ?? { checkins: 0, signals: 0 };
            counts[what]++;
            erased.set(houseId, counts);
          };
          for (const row of checkins) count(row.houseId, "checkins");
          for (const row of signals) count(row.houseId, "signals");
          for (const [houseId, counts] of erased) {
            await recordAudit(tx, {
              houseId,
              actorId: null,
              action: "privacy.retention_erased",
              details: { ...counts, before: cutoff },
              at: now,
            });
          }
        });
      }
    },

    /** A counsellor's CSV of the house's check-ins (no notes), audited. */
    async houseCsv(houseId: string, actorId: string, days = 28): Promise<string> {
      const house = await db.house.findUniqueOrThrow({ where: { id: houseId } });
      const from = addDays(localDateOf(clock.now(), house.timezone), -days);
      const settings = readHouseSettings(house.settings);
      const rows = await db.checkin.findMany({
        where: { member: { houseId }, localDate: { gte: from } },
        include: { member: true },
        orderBy: [{ localDate: "asc" }],
      });
      await recordAudit(db, { houseId, actorId, action: "report.exported", details: { days, rows: rows.length }, at: clock.now() });
      const quote = (value: unknown) => {
        const text = value === null || value === undefined ? "" : String(value);
        // A leading = + - @ would run as a formula in a spreadsheet.
        const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
        return `"${safe.replace(/"/g, '""')}"`;
      };
      const header = settings.regulatedMode
        ? ["date", "resident", "status"]
        : ["date", "resident", "status", "feeling", "craving", "mood", "meeting"];
      const lines = rows.map((r) =>
        (settings.regulatedMode
          ? [r.localDate, r.member.displayName, r.status]
          : [r.localDate, r.member.displayName, r.status, r.feeling, r.craving, r.mood, r.meetingToday]
        )
          .map(quote)
          .join(","),
      );
      return [header.join(","), ...lines].join("\n");
    },

    async auditReport(houseId: string, limit = 50) {
      const entries = await db.auditLog.findMany({ where: { houseId }, orderBy: { at: "desc" }, take: limit });
      const ids = [...new Set(entries.flatMap((e) => [e.actorId, e.subjectId]).filter((x): x is string => !!x))];
      const names = new Map((await db.member.findMany({ where: { id: { in: ids } } })).map((m) => [m.id, m.displayName]));
      return entries.map((e) => ({
        at: e.at,
        action: e.action,
        actor: e.actorId ? (names.get(e.actorId) ?? "unknown") : "the bot",
        subject: e.subjectId ? (names.get(e.subjectId) ?? "unknown") : null,
      }));
    },
  };
}

export type Privacy = ReturnType<typeof createPrivacy>;
