import { addDays, checkinInstantOn, localDateOf } from "../../domain/checkin/index.ts";
import { readHouseSettings } from "../../domain/houseSettings.ts";
import type { AlertFacts, DigestResident, HouseDigestInput, PairingFacts, ResidentSummaryInput } from "../../domain/reports/index.ts";
import { DIGEST_TREND_DAYS, SUMMARY_DAYS } from "../../domain/reports/index.ts";
import type { Alert, House, Member } from "../../generated/prisma/client.ts";
import { KIND_LABELS } from "../alerts/messages.ts";
import type { Tx } from "../deps.ts";

/**
 * Reads what the counsellor views are computed from, straight from the tables (check-ins,
 * attendance, pairings, alerts, sobriety history), and turns instants into local dates. Only
 * the fields the views need are selected: notes and absence reasons are never read here.
 */

const CHECKIN_FIELDS = { localDate: true, status: true, usedToday: true, craving: true, mood: true, meetingToday: true } as const;

async function namesOf(db: Tx, ids: ReadonlyArray<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const members = await db.member.findMany({ where: { id: { in: wanted } }, select: { id: true, displayName: true } });
  return new Map(members.map((m) => [m.id, m.displayName]));
}

async function alertFacts(db: Tx, alerts: ReadonlyArray<Alert & { subject: { displayName: string } }>): Promise<AlertFacts[]> {
  const names = await namesOf(
    db,
    alerts.map((a) => a.acknowledgedById),
  );
  return alerts.map((a) => ({
    subject: a.subject.displayName,
    what: KIND_LABELS[a.kind],
    severity: a.severity,
    state: a.state,
    createdAt: a.createdAt,
    acknowledgedBy: a.acknowledgedById ? (names.get(a.acknowledgedById) ?? null) : null,
    acknowledgedAt: a.acknowledgedAt,
    resolvedAt: a.resolvedAt,
  }));
}

const localOrNull = (instant: Date | null, zone: string) => (instant ? localDateOf(instant, zone) : null);

/** Everything a resident summary shows about `member`, as of `now`. */
export async function loadSummaryInput(db: Tx, member: Member & { house: House }, now: Date): Promise<ResidentSummaryInput> {
  const settings = readHouseSettings(member.house.settings);
  const zone = member.timezone ?? member.house.timezone;
  const today = localDateOf(now, zone);
  const from = addDays(today, -(SUMMARY_DAYS - 1));
  const window = { gte: from, lte: today };
  const [checkins, attendance, events, alerts, pairings, key] = await Promise.all([
    db.checkin.findMany({ where: { memberId: member.id, localDate: window }, select: CHECKIN_FIELDS }),
    db.attendance.findMany({ where: { memberId: member.id, localDate: window }, select: { localDate: true, status: true } }),
    db.sobrietyEvent.findMany({ where: { memberId: member.id }, orderBy: { createdAt: "asc" }, select: { kind: true, date: true } }),
    db.alert.findMany({
      where: {
        subjectId: member.id,
        OR: [{ state: { in: ["open", "acknowledged"] } }, { resolvedAt: { gte: checkinInstantOn(from, "00:00", zone) } }],
      },
      include: { subject: { select: { displayName: true } } },
    }),
    db.buddyPairing.findMany({
      where: { status: { in: ["proposed", "active"] }, OR: [{ newcomerId: member.id }, { buddyId: member.id }] },
      include: { newcomer: { select: { displayName: true } }, buddy: { select: { displayName: true } } },
      orderBy: { createdAt: "asc" },
    }),
    member.keyCounsellorId ? db.member.findUnique({ where: { id: member.keyCounsellorId }, select: { displayName: true } }) : null,
  ]);
  return {
    today,
    zone,
    name: member.displayName,
    status: member.status,
    pausedUntil: member.pausedUntil,
    checkinTime: member.checkinTime ?? settings.checkinTime,
    keyCounsellor: key?.displayName ?? null,
    sobrietyEvents: events,
    checkins,
    attendance,
    alerts: await alertFacts(db, alerts),
    pairings: pairings.map((p) => ({
      role: p.newcomerId === member.id ? ("newcomer" as const) : ("buddy" as const),
      other: p.newcomerId === member.id ? p.buddy.displayName : p.newcomer.displayName,
      status: p.status === "proposed" ? ("proposed" as const) : ("active" as const),
      plannedEndOn: localOrNull(p.plannedEndAt, member.house.timezone),
    })),
    cravingThreshold: settings.cravingThreshold,
  };
}

/** Everything the morning digest for `date` (a house-local date) shows, as of `now`. */
export async function loadDigestInput(db: Tx, house: House, date: string, now: Date): Promise<HouseDigestInput> {
  const settings = readHouseSettings(house.settings);
  const zone = house.timezone;
  const yesterday = addDays(date, -1);
  const trend = { gte: addDays(yesterday, -(DIGEST_TREND_DAYS - 1)), lte: yesterday };
  const sinceYesterday = checkinInstantOn(yesterday, "00:00", zone);
  const members = await db.member.findMany({
    where: {
      houseId: house.id,
      role: "resident",
      isBot: false,
      OR: [{ status: { in: ["active", "paused"] } }, { checkins: { some: { localDate: trend } } }],
    },
    select: { id: true, displayName: true, status: true },
    orderBy: { displayName: "asc" },
  });
  const ids = members.map((m) => m.id);
  const [events, checkins, attendance, alerts, pairings] = await Promise.all([
    db.sobrietyEvent.findMany({
      where: { memberId: { in: ids } },
      orderBy: { createdAt: "asc" },
      select: { memberId: true, kind: true, date: true },
    }),
    db.checkin.findMany({ where: { memberId: { in: ids }, localDate: trend }, select: { ...CHECKIN_FIELDS, memberId: true } }),
    db.attendance.findMany({
      where: { memberId: { in: ids }, localDate: trend },
      select: { memberId: true, localDate: true, status: true },
    }),
    db.alert.findMany({
      where: { houseId: house.id, state: { in: ["open", "acknowledged"] } },
      include: { subject: { select: { displayName: true } } },
    }),
    db.buddyPairing.findMany({
      where: {
        houseId: house.id,
        OR: [{ status: { in: ["proposed", "active"] } }, { endedAt: { gte: sinceYesterday } }, { startedAt: { gte: sinceYesterday } }],
      },
      include: { newcomer: { select: { displayName: true } }, buddy: { select: { displayName: true } } },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const residents: DigestResident[] = members.map((m) => ({
    id: m.id,
    name: m.displayName,
    status: m.status,
    sobrietyEvents: events.filter((e) => e.memberId === m.id),
  }));
  const pairingFacts: PairingFacts[] = pairings.map((p) => ({
    newcomer: p.newcomer.displayName,
    buddy: p.buddy.displayName,
    status: p.status,
    startedOn: localOrNull(p.startedAt, zone),
    plannedEndOn: localOrNull(p.plannedEndAt, zone),
    endedOn: localOrNull(p.endedAt, zone),
    endReason: p.endReason,
  }));
  return {
    date,
    now,
    houseName: house.name,
    zone,
    cravingThreshold: settings.cravingThreshold,
    residents,
    checkins,
    attendance,
    alerts: await alertFacts(db, alerts),
    pairings: pairingFacts,
  };
}
