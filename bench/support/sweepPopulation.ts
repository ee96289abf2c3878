import type { Db } from "../../src/db/client.ts";
import { localDateOf, nextCheckinInstant } from "../../src/domain/checkin/index.ts";
import { defaultEscalationPolicy } from "../../src/domain/houseSettings.ts";
import { nextOccurrences } from "../../src/domain/meetings/index.ts";
import type { WeeklySchedule } from "../../src/domain/meetings/meeting.ts";
import { DAILY_POST_TIME } from "../../src/services/meetings/sweep.ts";

/**
 * A provider's population for the sweep benchmark, written straight into the database in bulk
 * (the chat would take hours for 100,000 people) but in the shape the bot itself leaves behind:
 * consented, active residents with a key counsellor and `nextCheckinAt` computed by the bot's own
 * `nextCheckinInstant`, houses of 25 spread over 24 zones, a few days of answered and missed
 * check-ins, sobriety dates, meetings with followers, buddy pairings and alerts.
 *
 * The work of the measured minutes is planted, the same at every size: for each measured minute,
 * `duePerMinute` residents are due their prompt, `remindPerMinute` have an unanswered prompt from
 * two hours before, and `closePerMinute` one from six hours before whose window closes. Everybody
 * else is due at some other minute of the day, so only the population differs between sizes.
 */

export const RESIDENTS_PER_HOUSE = 25;

/** Whole, half- and three-quarter-hour offsets, both hemispheres: 24 zones. */
export const ZONES = [
  "Pacific/Honolulu",
  "America/Anchorage",
  "America/Los_Angeles",
  "America/Denver",
  "America/Chicago",
  "America/New_York",
  "America/Halifax",
  "America/St_Johns",
  "America/Sao_Paulo",
  "Atlantic/Azores",
  "Europe/London",
  "Europe/Paris",
  "Europe/Athens",
  "Europe/Moscow",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Dhaka",
  "Asia/Bangkok",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Australia/Adelaide",
  "Australia/Sydney",
  "Pacific/Auckland",
];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Rows per INSERT: big enough to be quick, small enough for PGlite's memory. */
const CHUNK = 5_000;

export interface PlantedWork {
  duePerMinute: number;
  remindPerMinute: number;
  closePerMinute: number;
}

export interface PopulationPlan extends PlantedWork {
  /** The minutes (instants on the minute) whose sweeps are measured, warm-ups included. */
  minutes: Date[];
  /** Residents are seeded as if the bot had last scheduled them at this instant. */
  seededAt: Date;
}

/** A seeded stretch of residents: `from` is the first resident number, so a population can grow. */
export interface SeedRange {
  from: number;
  count: number;
}

interface Resident {
  id: string;
  houseId: string;
  number: number;
  checkinTime: string;
  /** The resident's own zone, or null for the house's. */
  timezone: string | null;
  zone: string;
  nextCheckinAt: Date;
  pending: { dueAt: Date; reminded: boolean } | null;
}

const houseId = (house: number) => `bench-house-${house}`;
const residentId = (n: number) => `bench-resident-${n}`;
const staffId = (house: number, k: number) => `bench-staff-${house}-${k}`;

/** A deterministic pseudo-random number in [0, 1) for a resident number and a purpose. */
function hash(n: number, salt: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  return (x >>> 0) / 2 ** 32;
}

function localTimeOf(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(
    instant,
  );
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${part("hour")}:${part("minute")}`;
}

/**
 * The planted residents, by resident number: they are the first ones seeded, spread over the
 * houses by a stride, so the smallest population already holds all of them.
 */
function plantedRoles(plan: PopulationPlan, population: number): Map<number, { kind: "due" | "remind" | "close"; at: Date }> {
  const roles: Array<{ kind: "due" | "remind" | "close"; at: Date }> = [];
  for (const minute of plan.minutes) {
    for (let i = 0; i < plan.duePerMinute; i++) roles.push({ kind: "due", at: minute });
    for (let i = 0; i < plan.remindPerMinute; i++) roles.push({ kind: "remind", at: minute });
    for (let i = 0; i < plan.closePerMinute; i++) roles.push({ kind: "close", at: minute });
  }
  if (roles.length * 2 > population) throw new Error(`population ${population} too small for ${roles.length} planted residents`);
  const stride = Math.floor(population / roles.length);
  return new Map(roles.map((role, i) => [i * stride + (i % stride), role]));
}

function residentFor(n: number, plan: PopulationPlan, planted: ReturnType<typeof plantedRoles>): Resident {
  const house = Math.floor(n / RESIDENTS_PER_HOUSE);
  const houseZone = ZONES[house % ZONES.length] as string;
  // One in ten residents has set a zone of their own (say, Slack's profile zone).
  const timezone = hash(n, 1) < 0.1 ? (ZONES[Math.floor(hash(n, 2) * ZONES.length)] as string) : null;
  const zone = timezone ?? houseZone;
  const role = planted.get(n);
  const base = { id: residentId(n), houseId: houseId(house), number: n, timezone, zone };
  if (role) {
    const dueAt = role.kind === "due" ? role.at : new Date(role.at.getTime() - (role.kind === "remind" ? 2 : 6) * HOUR_MS);
    const checkinTime = localTimeOf(dueAt, zone);
    return {
      ...base,
      checkinTime,
      nextCheckinAt: nextCheckinInstant(plan.seededAt, checkinTime, zone).dueAt,
      pending: role.kind === "due" ? null : { dueAt, reminded: role.kind === "close" },
    };
  }
  // Anyone else: any minute of the day, but not one of the measured minutes.
  const first = plan.minutes[0] as Date;
  const last = plan.minutes.at(-1) as Date;
  let minuteOfDay = Math.floor(hash(n, 3) * 1440);
  for (;;) {
    const checkinTime = `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
    const { dueAt } = nextCheckinInstant(plan.seededAt, checkinTime, zone);
    if (dueAt < first || dueAt.getTime() > last.getTime() + MINUTE_MS) {
      return { ...base, checkinTime, nextCheckinAt: dueAt, pending: null };
    }
    minuteOfDay = (minuteOfDay + 60) % 1440;
  }
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (Array.isArray(value)) return `'{${value.join(",")}}'`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

/**
 * Bulk insert as literal rows, one statement per chunk: the values are the bench's own, and
 * literals cast per column work the same through both drivers.
 */
/** A meeting's next reminder (start less the default hour's lead) and next end after `now`, as the sweep leaves them. */
function dueInstants(schedule: WeeklySchedule, now: Date): [Date, Date] {
  const [toRemind] = nextOccurrences(schedule, new Date(now.getTime() + HOUR_MS + 1), 1);
  const [toAsk] = nextOccurrences(schedule, new Date(now.getTime() - schedule.durationMinutes * MINUTE_MS + 1), 1);
  if (!toRemind || !toAsk) throw new Error("a benchmark meeting is held every week");
  return [new Date(toRemind.startsAt.getTime() - HOUR_MS), toAsk.endsAt];
}

async function insertRows(db: Db, table: string, columns: Array<[string, string]>, rows: unknown[][]): Promise<void> {
  const names = columns.map(([name]) => `"${name}"`).join(", ");
  const select = columns.map(([, type], i) => `c${i}::${type}`).join(", ");
  const aliases = columns.map((_, i) => `c${i}`).join(", ");
  for (let start = 0; start < rows.length; start += CHUNK) {
    const values = rows
      .slice(start, start + CHUNK)
      .map((row) => `(${columns.map((_, c) => literal(row[c])).join(", ")})`)
      .join(",\n");
    await db.$executeRawUnsafe(`INSERT INTO "${table}" (${names}) SELECT ${select} FROM (VALUES ${values}) AS v(${aliases})`);
  }
}

/**
 * Seeds residents `range.from` to `range.from + range.count - 1` and their houses (whole houses of
 * 25, with an admin and two counsellors each). `plantedIn` is the size of the first, smallest
 * population, over which the planted residents are spread; a later range only adds people.
 */
export async function seedPopulation(db: Db, plan: PopulationPlan, range: SeedRange, plantedIn: number): Promise<void> {
  const planted = plantedRoles(plan, plantedIn);
  const residents = Array.from({ length: range.count }, (_, i) => residentFor(range.from + i, plan, planted));
  const firstHouse = Math.floor(range.from / RESIDENTS_PER_HOUSE);
  const houseCount = Math.ceil(range.count / RESIDENTS_PER_HOUSE);
  const now = plan.seededAt;
  const longAgo = new Date(now.getTime() - 90 * DAY_MS);

  const houses = Array.from({ length: houseCount }, (_, i) => {
    const house = firstHouse + i;
    const settings = house % 5 === 0 ? { dailyMeetingsPost: true, digestToStaffChannel: true } : {};
    const zone = ZONES[house % ZONES.length] as string;
    return [
      houseId(house),
      "discord",
      `bench-workspace-${house}`,
      `House ${house}`,
      zone,
      "GB",
      `house-channel-${house}`,
      `staff-channel-${house}`,
      JSON.stringify(settings),
      longAgo,
      longAgo,
      // Today's digest and meetings post are behind the house, as the sweep leaves them.
      nextCheckinInstant(now, "08:00", zone).dueAt,
      nextCheckinInstant(now, DAILY_POST_TIME, zone).dueAt,
    ];
  });
  await insertRows(
    db,
    "House",
    [
      ["id", "text"],
      ["platform", '"Platform"'],
      ["workspaceId", "text"],
      ["name", "text"],
      ["timezone", "text"],
      ["country", "text"],
      ["houseChannelId", "text"],
      ["staffChannelId", "text"],
      ["settings", "jsonb"],
      ["createdAt", "timestamp(3)"],
      ["updatedAt", "timestamp(3)"],
      ["nextDigestAt", "timestamp(3)"],
      ["nextMeetingsPostAt", "timestamp(3)"],
    ],
    houses,
  );

  const memberColumns: Array<[string, string]> = [
    ["id", "text"],
    ["houseId", "text"],
    ["platformUserId", "text"],
    ["displayName", "text"],
    ["role", '"MemberRole"'],
    ["status", '"MemberStatus"'],
    ["onDuty", "boolean"],
    ["consentAt", "timestamp(3)"],
    ["consentVersion", "text"],
    ["checkinTime", "text"],
    ["timezone", "text"],
    ["timezoneSource", "text"],
    ["dmChannelId", "text"],
    ["keyCounsellorId", "text"],
    ["sobrietyDate", "text"],
    ["pausedUntil", "text"],
    ["nextCheckinAt", "timestamp(3)"],
    ["createdAt", "timestamp(3)"],
    ["updatedAt", "timestamp(3)"],
  ];
  const staff = houses.flatMap((_, i) => {
    const house = firstHouse + i;
    return [0, 1, 2].map((k) => [
      staffId(house, k),
      houseId(house),
      `staff-${house}-${k}`,
      k === 0 ? `Admin ${house}` : `Counsellor ${house}-${k}`,
      k === 0 ? "admin" : "counsellor",
      "active",
      k === 1,
      longAgo,
      null,
      null,
      null,
      null,
      `dm-staff-${house}-${k}`,
      null,
      null,
      null,
      null,
      longAgo,
      longAgo,
    ]);
  });
  await insertRows(db, "Member", memberColumns, staff);

  // Six in ten have told the bot their sobriety date, between three weeks and fourteen months ago.
  const sobrietyDate = (r: Resident) =>
    hash(r.number, 5) < 0.6 ? localDateOf(new Date(now.getTime() - (20 + Math.floor(hash(r.number, 6) * 400)) * DAY_MS), r.zone) : null;
  // One in a hundred residents is paused until a date still to come; planted ones never are.
  const pausedUntil = (r: Resident) =>
    !planted.has(r.number) && hash(r.number, 4) < 0.01 ? localDateOf(new Date(now.getTime() + 3 * DAY_MS), r.zone) : null;
  await insertRows(
    db,
    "Member",
    memberColumns,
    residents.map((r) => {
      const paused = pausedUntil(r);
      return [
        r.id,
        r.houseId,
        `user-${r.number}`,
        `Resident ${r.number}`,
        "resident",
        paused ? "paused" : "active",
        false,
        longAgo,
        "2027-01",
        r.checkinTime,
        r.timezone,
        r.timezone ? "member" : null,
        `dm-${r.number}`,
        staffId(Math.floor(r.number / RESIDENTS_PER_HOUSE), 1 + (r.number % 2)),
        sobrietyDate(r),
        paused,
        paused ? null : r.nextCheckinAt,
        longAgo,
        longAgo,
      ];
    }),
  );

  await insertRows(
    db,
    "SobrietyEvent",
    [
      ["id", "text"],
      ["memberId", "text"],
      ["kind", '"SobrietyEventKind"'],
      ["date", "text"],
      ["createdAt", "timestamp(3)"],
    ],
    residents.flatMap((r) => {
      const date = sobrietyDate(r);
      return date ? [[`bench-sobriety-${r.number}`, r.id, "date_set", date, longAgo]] : [];
    }),
  );

  // Today's unanswered prompts for the planted reminders and closes, then three days of history.
  const checkinColumns: Array<[string, string]> = [
    ["id", "text"],
    ["memberId", "text"],
    ["localDate", "text"],
    ["dueAt", "timestamp(3)"],
    ["promptedAt", "timestamp(3)"],
    ["remindAt", "timestamp(3)"],
    ["remindedAt", "timestamp(3)"],
    ["closesAt", "timestamp(3)"],
    ["answeredAt", "timestamp(3)"],
    ["status", '"CheckinStatus"'],
    ["feeling", '"CheckinFeeling"'],
    ["craving", "int4"],
    ["mood", "int4"],
    ["meetingToday", "boolean"],
    ["source", "text"],
    ["createdAt", "timestamp(3)"],
    ["updatedAt", "timestamp(3)"],
  ];
  const pendingRows = residents.flatMap((r) => {
    if (!r.pending) return [];
    const { dueAt, reminded } = r.pending;
    const remindAt = new Date(dueAt.getTime() + 2 * HOUR_MS);
    return [
      [
        `bench-pending-${r.number}`,
        r.id,
        localDateOf(dueAt, r.zone),
        dueAt,
        dueAt,
        reminded ? null : remindAt,
        reminded ? remindAt : null,
        new Date(dueAt.getTime() + 6 * HOUR_MS),
        null,
        "pending",
        null,
        null,
        null,
        null,
        null,
        dueAt,
        dueAt,
      ],
    ];
  });
  await insertRows(db, "Checkin", checkinColumns, pendingRows);
  // The history is generated by the database itself: far quicker than sending 300,000 rows. The
  // residents' own dates in their zones; one day in eight missed; a day already planted is kept.
  const nowLiteral = `'${now.toISOString()}'::timestamp(3)`;
  await db.$executeRawUnsafe(`
    INSERT INTO "Checkin" (id, "memberId", "localDate", "dueAt", "promptedAt", "closesAt", "answeredAt", status, feeling,
                           craving, mood, "meetingToday", source, "createdAt", "updatedAt")
    SELECT 'bench-history-' || m.id || '-' || d, m.id,
           to_char((${nowLiteral} AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(m.timezone, h.timezone))::date - d, 'YYYY-MM-DD'),
           due, due, due + interval '6 hours',
           CASE WHEN missed THEN NULL ELSE due + interval '20 minutes' END,
           (CASE WHEN missed THEN 'missed' ELSE 'answered' END)::"CheckinStatus",
           CASE WHEN missed THEN NULL ELSE 'steady'::"CheckinFeeling" END,
           CASE WHEN missed THEN NULL ELSE abs(hashtext(m.id || 'c' || d)) % 7 END,
           CASE WHEN missed THEN NULL ELSE 2 + abs(hashtext(m.id || 'm' || d)) % 4 END,
           CASE WHEN missed THEN NULL ELSE hashtext(m.id || 'g' || d) % 2 = 0 END,
           CASE WHEN missed THEN NULL ELSE 'button' END,
           due, due
    FROM "Member" m
    JOIN "House" h ON h.id = m."houseId"
    CROSS JOIN generate_series(1, 3) AS d
    CROSS JOIN LATERAL (SELECT COALESCE(m."nextCheckinAt", ${nowLiteral}) - d * interval '1 day' AS due,
                               abs(hashtext(m.id || 'x' || d)) % 8 = 0 AS missed) AS day
    WHERE m.role = 'resident' AND m."houseId" = ANY (ARRAY[${houses.map((h) => `'${h[0]}'`).join(",")}])
    ON CONFLICT DO NOTHING`);

  // Two meetings a house (a daily fellowship meeting some residents follow, a weekly required house group).
  const meetingRows = houses.flatMap((_, i) => {
    const house = firstHouse + i;
    const timezone = ZONES[house % ZONES.length] as string;
    const daily: WeeklySchedule = {
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      startTime: `${String(6 + (house % 15)).padStart(2, "0")}:${house % 2 ? "30" : "00"}`,
      durationMinutes: 60,
      timezone,
    };
    const weekly: WeeklySchedule = { weekdays: [house % 7], startTime: "18:00", durationMinutes: 90, timezone };
    return [
      [`bench-meeting-${house}-0`, houseId(house), "daily-aa", "Daily AA", "AA", false, daily, dueInstants(daily, now)],
      [`bench-meeting-${house}-1`, houseId(house), "house-group", "House group", "in_house", true, weekly, dueInstants(weekly, now)],
    ].map(([id, house, slug, name, fellowship, required, schedule, due]) => {
      const { weekdays, startTime, durationMinutes } = schedule as WeeklySchedule;
      const [nextReminderAt, nextFollowUpAt] = due as [Date, Date];
      return [
        id,
        house,
        slug,
        name,
        fellowship,
        weekdays,
        startTime,
        durationMinutes,
        timezone,
        required,
        nextReminderAt,
        nextFollowUpAt,
        longAgo,
        longAgo,
      ];
    });
  });
  await insertRows(
    db,
    "Meeting",
    [
      ["id", "text"],
      ["houseId", "text"],
      ["externalSlug", "text"],
      ["name", "text"],
      ["fellowship", '"Fellowship"'],
      ["weekdays", "int4[]"],
      ["startTime", "text"],
      ["durationMinutes", "int4"],
      ["timezone", "text"],
      ["required", "boolean"],
      ["nextReminderAt", "timestamp(3)"],
      ["nextFollowUpAt", "timestamp(3)"],
      ["createdAt", "timestamp(3)"],
      ["updatedAt", "timestamp(3)"],
    ],
    meetingRows,
  );
  await insertRows(
    db,
    "MeetingSubscription",
    [
      ["id", "text"],
      ["memberId", "text"],
      ["meetingId", "text"],
      ["createdAt", "timestamp(3)"],
    ],
    residents
      .filter((r) => r.number % 5 === 0)
      .map((r) => [`bench-sub-${r.number}`, r.id, `bench-meeting-${Math.floor(r.number / RESIDENTS_PER_HOUSE)}-0`, longAgo]),
  );

  // A buddy pairing a house, running for another ten days; an exhausted open alert in one house of ten.
  await insertRows(
    db,
    "BuddyPairing",
    [
      ["id", "text"],
      ["houseId", "text"],
      ["newcomerId", "text"],
      ["buddyId", "text"],
      ["status", '"PairingStatus"'],
      ["activeNewcomerId", "text"],
      ["startedAt", "timestamp(3)"],
      ["plannedEndAt", "timestamp(3)"],
      ["createdAt", "timestamp(3)"],
    ],
    houses.flatMap((_, i) => {
      const house = firstHouse + i;
      const newcomer = residentId(house * RESIDENTS_PER_HOUSE + 24);
      const buddy = residentId(house * RESIDENTS_PER_HOUSE + 23);
      if (house * RESIDENTS_PER_HOUSE + 24 >= range.from + range.count) return [];
      return [
        [
          `bench-pairing-${house}`,
          houseId(house),
          newcomer,
          buddy,
          "active",
          newcomer,
          longAgo,
          new Date(now.getTime() + 10 * DAY_MS),
          longAgo,
        ],
      ];
    }),
  );
  await insertRows(
    db,
    "Alert",
    [
      ["id", "text"],
      ["houseId", "text"],
      ["subjectId", "text"],
      ["kind", '"RiskSignalKind"'],
      ["severity", '"AlertSeverity"'],
      ["state", '"AlertState"'],
      ["dedupKey", "text"],
      ["openDedupKey", "text"],
      ["policy", "jsonb"],
      ["level", "int4"],
      ["loop", "int4"],
      ["createdAt", "timestamp(3)"],
      ["updatedAt", "timestamp(3)"],
    ],
    houses.flatMap((_, i) => {
      const house = firstHouse + i;
      if (house % 10 !== 3) return [];
      const subject = residentId(house * RESIDENTS_PER_HOUSE + 22);
      const key = `high_craving:${subject}`;
      return [
        [
          `bench-alert-${house}`,
          houseId(house),
          subject,
          "high_craving",
          "medium",
          "open",
          key,
          key,
          JSON.stringify(defaultEscalationPolicy),
          3,
          2,
          now,
          now,
        ],
      ];
    }),
  );
  await db.$executeRawUnsafe("ANALYZE");
}
