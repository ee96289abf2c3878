import type { Db } from "../db/client.ts";
import { addDays, checkinInstantOn } from "../domain/checkin/index.ts";
import { defaultEscalationPolicy } from "../domain/houseSettings.ts";

/**
 * A made-up house for the sample images in docs/: eight residents, two counsellors, four weeks of
 * check-ins drawn from a fixed-seed random sequence (so the images are the same on every run), a
 * lapse, meetings, a buddy pairing and a few alerts. Every name and answer is invented.
 */

export const SAMPLE_TODAY = "2027-03-10";
/** 08:00 in London on SAMPLE_TODAY: when the morning digest goes out. */
export const SAMPLE_NOW = new Date("2027-03-10T08:00:00Z");
const ZONE = "Europe/London";
const HOUR = 3_600_000;

/** mulberry32: a tiny deterministic generator, good enough for sample data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, Math.round(value)));

interface ResidentPlan {
  name: string;
  sobrietyDate: string;
  /** Their usual craving and mood, and how often they miss a day. */
  craving: number;
  mood: number;
  missRate: number;
}

const RESIDENTS: ResidentPlan[] = [
  { name: "Amara", sobrietyDate: "2026-12-20", craving: 4, mood: 3, missRate: 0.04 },
  { name: "Ben", sobrietyDate: "2026-12-09", craving: 2, mood: 4, missRate: 0.05 },
  { name: "Chloe", sobrietyDate: "2027-02-10", craving: 5, mood: 3, missRate: 0.15 },
  { name: "Dev", sobrietyDate: "2026-06-01", craving: 1, mood: 4, missRate: 0.05 },
  { name: "Eli", sobrietyDate: "2027-01-20", craving: 3, mood: 3, missRate: 0.2 },
  { name: "Farah", sobrietyDate: "2026-09-14", craving: 2, mood: 4, missRate: 0.1 },
  { name: "Gus", sobrietyDate: "2027-02-15", craving: 6, mood: 2, missRate: 0.25 },
  { name: "Hana", sobrietyDate: "2026-11-30", craving: 2, mood: 4, missRate: 0.05 },
];

/** Amara's hard patch: cravings climb, a lapse, then things settle again. */
const AMARA_LAPSE_BACK = 9;

export interface SampleHouse {
  houseId: string;
  counsellorId: string;
  residentIds: Record<string, string>;
}

export async function seedSampleHouse(db: Db): Promise<SampleHouse> {
  const next = random(20270310);
  const created = SAMPLE_NOW;
  const house = await db.house.create({
    data: { platform: "console", workspaceId: "sample", name: "Maple House", timezone: ZONE, country: "GB", staffChannelId: "staff" },
  });
  const [jo, kim] = await Promise.all(
    ["Jo", "Kim"].map((name) =>
      db.member.create({
        data: { houseId: house.id, platformUserId: name.toLowerCase(), displayName: name, role: "counsellor", status: "active" },
      }),
    ),
  );
  if (!jo || !kim) throw new Error("counsellors were not created");
  const meeting = await db.meeting.create({
    data: {
      houseId: house.id,
      externalSlug: "evening-group",
      name: "Evening group",
      weekdays: [1, 3, 5],
      startTime: "19:00",
      timezone: ZONE,
      types: ["O"],
    },
  });

  const residentIds: Record<string, string> = {};
  for (const plan of RESIDENTS) {
    const member = await db.member.create({
      data: {
        houseId: house.id,
        platformUserId: plan.name.toLowerCase(),
        displayName: plan.name,
        status: plan.name === "Hana" ? "paused" : "active",
        sobrietyDate: plan.sobrietyDate,
        keyCounsellorId: plan.name < "E" ? jo.id : kim.id,
        consentAt: new Date("2026-12-01T12:00:00Z"),
        programmeStart: "2026-12-01",
      },
    });
    residentIds[plan.name] = member.id;
    const events: Array<{ kind: "date_set" | "lapse" | "recommitment"; date: string }> = [{ kind: "date_set", date: plan.sobrietyDate }];
    if (plan.name === "Amara") {
      events.push({ kind: "lapse", date: addDays(SAMPLE_TODAY, -AMARA_LAPSE_BACK) });
      events.push({ kind: "recommitment", date: addDays(SAMPLE_TODAY, -AMARA_LAPSE_BACK + 1) });
    }
    await db.sobrietyEvent.createMany({
      data: events.map((e, i) => ({ memberId: member.id, kind: e.kind, date: e.date, createdAt: new Date(created.getTime() + i) })),
    });

    const checkins = [];
    const attendance = [];
    for (let back = 28; back >= 1; back--) {
      const localDate = addDays(SAMPLE_TODAY, -back);
      // Hana is on a week's pass: excused, then paused.
      const away = plan.name === "Hana" && back <= 6;
      if (plan.name === "Hana" && back <= 2) continue;
      const dueAt = checkinInstantOn(localDate, "20:00", ZONE);
      const roll = next();
      const base = { memberId: member.id, localDate, dueAt, promptedAt: dueAt, closesAt: new Date(dueAt.getTime() + 6 * HOUR) };
      if (away || (plan.name === "Amara" && back === 15)) {
        checkins.push({ ...base, status: "excused" as const });
        continue;
      }
      const used = plan.name === "Amara" && back === AMARA_LAPSE_BACK;
      if (!used && (roll < plan.missRate || (plan.name === "Amara" && (back === AMARA_LAPSE_BACK - 2 || back === 1)))) {
        checkins.push({ ...base, status: "missed" as const });
        continue;
      }
      // Amara's craving climbs towards the lapse and eases after it.
      const strain = plan.name === "Amara" ? Math.max(0, 5 - Math.abs(back - AMARA_LAPSE_BACK)) : 0;
      const meetingDay = [1, 3, 5].includes(new Date(`${localDate}T12:00:00Z`).getUTCDay()) && next() < 0.75;
      checkins.push({
        ...base,
        status: "answered" as const,
        answeredAt: new Date(dueAt.getTime() + 15 * 60_000),
        feeling: used ? ("used" as const) : strain > 2 ? ("struggling" as const) : ("steady" as const),
        usedToday: used,
        craving: clamp(plan.craving + strain * 1.2 + (next() - 0.5) * 3, 0, 10),
        mood: clamp(plan.mood - strain * 0.4 + (next() - 0.5) * 2, 1, 5),
        meetingToday: meetingDay,
        source: "button",
      });
      if (meetingDay) attendance.push({ memberId: member.id, meetingId: meeting.id, localDate, status: "went" as const, source: "dm" });
    }
    await db.checkin.createMany({ data: checkins });
    await db.attendance.createMany({ data: attendance });
  }

  const id = (name: string) => residentIds[name] ?? "";
  await db.buddyPairing.createMany({
    data: [
      {
        houseId: house.id,
        newcomerId: id("Gus"),
        buddyId: id("Dev"),
        status: "active",
        activeNewcomerId: id("Gus"),
        startedAt: new Date("2027-03-09T11:00:00Z"),
        plannedEndAt: new Date("2027-04-08T11:00:00Z"),
      },
      {
        houseId: house.id,
        newcomerId: id("Chloe"),
        buddyId: id("Farah"),
        status: "active",
        activeNewcomerId: id("Chloe"),
        startedAt: new Date("2027-02-11T10:00:00Z"),
        plannedEndAt: new Date("2027-03-13T10:00:00Z"),
      },
      {
        houseId: house.id,
        newcomerId: id("Amara"),
        buddyId: id("Ben"),
        status: "active",
        activeNewcomerId: id("Amara"),
        startedAt: new Date("2027-02-20T10:00:00Z"),
        plannedEndAt: new Date("2027-03-22T10:00:00Z"),
      },
    ],
  });

  const alert = (
    name: string,
    kind: "high_craving" | "missed_checkin" | "reported_use",
    severity: "medium" | "high",
    hoursAgo: number,
  ) => ({
    houseId: house.id,
    subjectId: id(name),
    kind,
    severity,
    dedupKey: `${kind}:${id(name)}`,
    openDedupKey: `${kind}:${id(name)}`,
    policy: defaultEscalationPolicy,
    createdAt: new Date(SAMPLE_NOW.getTime() - hoursAgo * HOUR),
  });
  await db.alert.create({
    data: {
      ...alert("Amara", "reported_use", "high", AMARA_LAPSE_BACK * 24 - 11),
      state: "resolved",
      openDedupKey: null,
      acknowledgedAt: new Date(SAMPLE_NOW.getTime() - (AMARA_LAPSE_BACK * 24 - 11.2) * HOUR),
      acknowledgedById: jo.id,
      resolvedAt: new Date(SAMPLE_NOW.getTime() - (AMARA_LAPSE_BACK * 24 - 13) * HOUR),
      resolvedById: jo.id,
    },
  });
  await db.alert.create({
    data: { ...alert("Amara", "missed_checkin", "medium", 11), state: "acknowledged", acknowledgedAt: SAMPLE_NOW, acknowledgedById: jo.id },
  });
  await db.alert.create({ data: alert("Gus", "high_craving", "medium", 35) });
  return { houseId: house.id, counsellorId: jo.id, residentIds };
}
