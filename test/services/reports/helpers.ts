import { DateTime } from "luxon";
import { addDays, checkinInstantOn } from "../../../src/domain/checkin/schedule.ts";
import { defaultEscalationPolicy } from "../../../src/domain/houseSettings.ts";
import type { Member } from "../../../src/generated/prisma/client.ts";
import { addCounsellor, addResident } from "../../support/simulate.ts";
import { setUpHouse, type TestApp } from "../../support/testApp.ts";

/**
 * A seeded house for the counsellor views, written straight into the tables so 28 days of history
 * take no time: four residents with known check-ins, meetings, a lapse, a pairing and two alerts.
 * Each test computes what it expects from these rows by hand, not through the code under test.
 */

export const TODAY = "2027-02-10";
export const YESTERDAY = "2027-02-09";
/** 07:00 in London (GMT in February): before the 08:00 digest. */
export const START = "2027-02-10T07:00:00Z";
export const back = (k: number) => addDays(TODAY, -k);

export interface SeedCheckin {
  k: number;
  status: "answered" | "missed" | "excused";
  craving: number | null;
  mood: number | null;
  used: boolean;
  meeting: boolean | null;
}

/** amy: 27 days back; missed every 7th from day 3, excused on day 20, used on day 12. */
export const AMY: SeedCheckin[] = Array.from({ length: 27 }, (_, i) => {
  const k = i + 1;
  if (k % 7 === 3) return { k, status: "missed", craving: null, mood: null, used: false, meeting: null };
  if (k === 20) return { k, status: "excused", craving: null, mood: null, used: false, meeting: null };
  return { k, status: "answered", craving: (k * 3) % 10, mood: 1 + (k % 5), used: k === 12, meeting: k % 4 === 0 };
});
export const AMY_LAPSE = 12;
/** amy's "did you go?" answers: went on days 2, 5 and 9, could not go on day 6. */
export const AMY_ATTENDANCE: Array<{ k: number; status: "went" | "could_not" }> = [
  { k: 2, status: "went" },
  { k: 5, status: "went" },
  { k: 9, status: "went" },
  { k: 6, status: "could_not" },
];
/** bo: steady, missed yesterday and day 8. */
export const BO: SeedCheckin[] = Array.from({ length: 13 }, (_, i) => {
  const k = i + 1;
  return k === 1 || k === 8
    ? { k, status: "missed", craving: null, mood: null, used: false, meeting: null }
    : { k, status: "answered", craving: 2, mood: 4, used: false, meeting: true };
});
/** cy: excused yesterday, answered the four days before. */
export const CY: SeedCheckin[] = [
  { k: 1, status: "excused", craving: null, mood: null, used: false, meeting: null },
  ...[2, 3, 4, 5].map((k) => ({ k, status: "answered" as const, craving: 5, mood: 3, used: false, meeting: false })),
];

export interface SeededHouse {
  houseId: string;
  jo: Member;
  kim: Member;
  amy: Member;
  bo: Member;
  cy: Member;
  dee: Member;
  alerts: { amyCraving: string; cyMissed: string };
}

async function writeCheckins(t: TestApp, memberId: string, rows: SeedCheckin[]) {
  await t.database.prisma.checkin.createMany({
    data: rows.map((r) => {
      const dueAt = checkinInstantOn(back(r.k), "20:00", "Europe/London");
      return {
        memberId,
        localDate: back(r.k),
        dueAt,
        promptedAt: dueAt,
        closesAt: new Date(dueAt.getTime() + 6 * 3_600_000),
        answeredAt: r.status === "answered" ? new Date(dueAt.getTime() + 600_000) : null,
        status: r.status,
        feeling: r.status === "answered" ? (r.used ? ("used" as const) : ("steady" as const)) : null,
        usedToday: r.status === "answered" ? r.used : null,
        craving: r.craving,
        mood: r.mood,
        meetingToday: r.meeting,
        source: "command",
      };
    }),
  });
}

export async function seedHouse(t: TestApp): Promise<SeededHouse> {
  const house = await setUpHouse(t);
  const jo = await addCounsellor(t, "jo");
  const kim = await addCounsellor(t, "kim");
  const amy = await addResident(t, "amy", { time: "20:00", keyCounsellor: "jo", sobrietyDate: "2026-12-15" });
  const bo = await addResident(t, "bo", { time: "20:00", keyCounsellor: "jo", sobrietyDate: "2026-11-14" });
  const cy = await addResident(t, "cy", { time: "20:00", keyCounsellor: "kim", sobrietyDate: "2027-01-12" });
  const dee = await addResident(t, "dee", { time: "20:00" });
  const db = t.database.prisma;
  const now = t.clock.now();
  await db.member.update({ where: { id: dee.id }, data: { status: "paused", nextCheckinAt: null } });

  await writeCheckins(t, amy.id, AMY);
  await writeCheckins(t, bo.id, BO);
  await writeCheckins(t, cy.id, CY);
  await db.sobrietyEvent.createMany({
    data: [
      { memberId: amy.id, kind: "lapse", date: back(AMY_LAPSE), createdAt: new Date(now.getTime() + 1) },
      { memberId: amy.id, kind: "recommitment", date: back(AMY_LAPSE - 1), createdAt: new Date(now.getTime() + 2) },
    ],
  });

  const meeting = await db.meeting.create({
    data: {
      houseId: house.id,
      externalSlug: "tuesday-group",
      name: "Tuesday group",
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      startTime: "19:00",
      timezone: "Europe/London",
      types: ["O"],
    },
  });
  await db.attendance.createMany({
    data: [
      ...AMY_ATTENDANCE.map((a) => ({ memberId: amy.id, meetingId: meeting.id, localDate: back(a.k), status: a.status, source: "dm" })),
      { memberId: bo.id, meetingId: meeting.id, localDate: YESTERDAY, status: "went" as const, source: "dm" },
    ],
  });

  await db.buddyPairing.create({
    data: {
      houseId: house.id,
      newcomerId: amy.id,
      buddyId: bo.id,
      status: "active",
      activeNewcomerId: amy.id,
      startedAt: new Date("2027-02-09T10:00:00Z"),
      plannedEndAt: new Date("2027-03-11T10:00:00Z"),
    },
  });

  const alert = (subjectId: string, kind: "high_craving" | "missed_checkin", hoursAgo: number) => ({
    houseId: house.id,
    subjectId,
    kind,
    severity: "medium" as const,
    dedupKey: `${kind}:${subjectId}`,
    openDedupKey: `${kind}:${subjectId}`,
    policy: defaultEscalationPolicy,
    // No escalation pending, so the minute sweep leaves these alone.
    nextEscalationAt: null,
    createdAt: new Date(now.getTime() - hoursAgo * 3_600_000),
  });
  const amyCraving = await db.alert.create({
    data: { ...alert(amy.id, "high_craving", 10), state: "acknowledged", acknowledgedAt: now, acknowledgedById: jo.id },
  });
  const cyMissed = await db.alert.create({ data: alert(cy.id, "missed_checkin", 30) });

  return { houseId: house.id, jo, kim, amy, bo, cy, dee, alerts: { amyCraving: amyCraving.id, cyMissed: cyMissed.id } };
}

/** The mean to one decimal, as a counsellor reads it ("3.4"). */
export function mean(values: number[]): string {
  return (Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10).toFixed(1);
}

/** "Tue 9 Feb". */
export function label(localDate: string): string {
  return DateTime.fromISO(localDate, { zone: "UTC" }).toFormat("ccc d LLL");
}
