import { renderMessage } from "../../src/adapters/discord/render.ts";
import type { Db } from "../../src/db/client.ts";
import { localDateOf } from "../../src/domain/checkin/index.ts";
import { promptMessage } from "../../src/services/checkins/messages.ts";
import type { PlannedPress, PlatformName } from "./answersProtocol.ts";

/**
 * The answers scenario's house: residents whose check-in was prompted half an hour ago and is
 * still open, written in bulk as the sweep and the outbox would have left them, and the answers
 * each of them will give by button.
 */

const ZONE = "Europe/London";
const MINUTE_MS = 60_000;

export interface Person {
  userId: string;
  userName: string;
}

export interface Resident extends Person {
  memberId: string;
  checkinId: string;
  dmChannelId: string;
  /** The prompt message (Discord id, Slack ts) whose buttons the resident presses. */
  promptId: string;
}

/** One resident's check-in, as they will answer it: every question the buttons ask. */
export interface Answer {
  feeling: "steady" | "struggling" | "used" | "help";
  craving: number;
  mood: number;
  meeting: boolean;
}

/** Answer fields a check-in holds once fully answered: one press each. */
export const PRESSES_PER_CHECKIN = 4;

/** Discord-shaped ids (18 digits) or Slack-shaped ones (U…), numbered. */
export function people(platform: PlatformName, count: number, role: "resident" | "staff"): Person[] {
  return Array.from({ length: count }, (_, i) => {
    const userName = `${role}${i}`;
    const userId = platform === "discord" ? `3${role === "resident" ? 4 : 3}${String(i).padStart(16, "0")}` : `U${role.toUpperCase()}${i}`;
    return { userId, userName };
  });
}

export async function seedHouse(
  db: Db,
  options: {
    platform: PlatformName;
    workspaceId: string;
    staff: Person[];
    residents: Array<Person & { dmChannelId: string }>;
    now: Date;
  },
): Promise<{ houseId: string; residents: Array<Omit<Resident, "promptId">> }> {
  const { now } = options;
  const house = await db.house.create({
    data: {
      platform: options.platform,
      workspaceId: options.workspaceId,
      name: "Cedar House",
      timezone: ZONE,
      country: "GB",
      staffChannelId: "staff",
      houseChannelId: "house",
    },
  });
  const staff = await db.member.createManyAndReturn({
    data: options.staff.map((person, i) => ({
      houseId: house.id,
      platformUserId: person.userId,
      displayName: person.userName,
      role: i === 0 ? ("admin" as const) : ("counsellor" as const),
      status: "active" as const,
      onDuty: i === 1,
      consentAt: now,
    })),
    select: { id: true, role: true },
  });
  const counsellors = staff.filter((s) => s.role === "counsellor").map((s) => s.id);
  const dueAt = new Date(now.getTime() - 30 * MINUTE_MS);
  const members = await db.member.createManyAndReturn({
    data: options.residents.map((person, i) => ({
      houseId: house.id,
      platformUserId: person.userId,
      displayName: person.userName,
      role: "resident" as const,
      status: "active" as const,
      consentAt: new Date(now.getTime() - 7 * 24 * 60 * MINUTE_MS),
      consentVersion: "2027-01",
      checkinTime: "20:00",
      timezone: ZONE,
      timezoneSource: "member",
      dmChannelId: person.dmChannelId,
      keyCounsellorId: counsellors[i % counsellors.length] ?? null,
      nextCheckinAt: new Date(dueAt.getTime() + 24 * 60 * MINUTE_MS),
    })),
    select: { id: true, platformUserId: true },
  });
  const memberOf = new Map(members.map((m) => [m.platformUserId, m.id]));
  const checkins = await db.checkin.createManyAndReturn({
    data: members.map((m) => ({
      memberId: m.id,
      localDate: localDateOf(dueAt, ZONE),
      dueAt,
      promptedAt: dueAt,
      remindAt: new Date(dueAt.getTime() + 2 * 60 * MINUTE_MS),
      closesAt: new Date(dueAt.getTime() + 6 * 60 * MINUTE_MS),
      status: "pending" as const,
    })),
    select: { id: true, memberId: true },
  });
  const checkinOf = new Map(checkins.map((c) => [c.memberId, c.id]));
  return {
    houseId: house.id,
    residents: options.residents.map((person) => {
      const memberId = memberOf.get(person.userId) ?? "";
      return { ...person, memberId, checkinId: checkinOf.get(memberId) ?? "" };
    }),
  };
}

/**
 * Posts each resident's prompt into their DM on the Discord double, exactly as the outbox
 * renders it, straight over HTTP: through the bot it would take a minute of rate-limited sends
 * that this scenario does not measure.
 */
export async function postDiscordPrompts(apiUrl: string, token: string, residents: Array<Omit<Resident, "promptId">>): Promise<Resident[]> {
  const posted: Resident[] = new Array(residents.length);
  let next = 0;
  const postOne = async (resident: Omit<Resident, "promptId">, index: number) => {
    const [part] = renderMessage(promptMessage(resident.checkinId, resident.userName));
    if (!part) throw new Error("the prompt rendered to nothing");
    const { files: _files, ...body } = part;
    const response = await fetch(`${apiUrl}/v10/channels/${resident.dmChannelId}/messages`, {
      method: "POST",
      headers: { authorization: `Bot ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`posting a prompt failed: ${response.status}`);
    const message = (await response.json()) as { id: string };
    posted[index] = { ...resident, promptId: message.id };
  };
  const lane = async () => {
    while (next < residents.length) {
      const index = next;
      next += 1;
      await postOne(residents[index] as Omit<Resident, "promptId">, index);
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  return posted;
}

/** Slack keeps no messages in the double: a prompt is its ts in the resident's DM. */
export function slackPrompts(residents: Array<Omit<Resident, "promptId">>): Resident[] {
  return residents.map((resident, i) => ({ ...resident, promptId: `${1_700_000_000 + i}.000100` }));
}

/** A small deterministic generator, so two runs press the same buttons. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Answers as a house gives them: mostly steady days, some hard ones, a few lapses and calls for help. */
export function planAnswers(count: number, seed = 12): Answer[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    const roll = random();
    const feeling = roll < 0.84 ? "steady" : roll < 0.95 ? "struggling" : roll < 0.98 ? "used" : "help";
    // Cravings of 8 and up (the default threshold) alert a counsellor: about one in thirty.
    const craving = random() < 0.03 ? 8 + Math.floor(random() * 3) : Math.floor(random() * 6);
    return { feeling, craving, mood: 1 + Math.floor(random() * 5), meeting: random() < 0.4 };
  });
}

/**
 * Every press, question by question: all residents say how the day is, then all give their
 * craving, and so on, so one person's presses are a quarter of the run apart, as a person's are.
 */
export function plannedPresses(residents: Resident[], answers: Answer[]): PlannedPress[] {
  const steps = [
    (a: Answer) => `f:%:${a.feeling}`,
    (a: Answer) => `c:%:${a.craving}`,
    (a: Answer) => `m:%:${a.mood}`,
    (a: Answer) => `g:%:${a.meeting ? "yes" : "no"}`,
  ];
  return steps.flatMap((step) =>
    residents.map((resident, i) => ({
      userId: resident.userId,
      userName: resident.userName,
      channelId: resident.dmChannelId,
      messageId: resident.promptId,
      customId: `ci:${step(answers[i] as Answer).replace("%", resident.checkinId)}`,
    })),
  );
}

/** How many answer fields are filled in, across every check-in in the database. */
export async function filledAnswers(db: Db): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ filled: number }>>`
    SELECT (count("feeling") + count("craving") + count("mood") + count("meetingToday"))::int AS filled FROM "Checkin"`;
  return row?.filled ?? 0;
}

/** Answers stored exactly as given, and fields holding something else. */
export async function storedAnswers(db: Db, residents: Resident[], answers: Answer[]): Promise<{ stored: number; wrong: number }> {
  const checkins = await db.checkin.findMany({
    where: { id: { in: residents.map((r) => r.checkinId) } },
    select: { id: true, feeling: true, craving: true, mood: true, meetingToday: true },
  });
  const byId = new Map(checkins.map((c) => [c.id, c]));
  let stored = 0;
  let wrong = 0;
  residents.forEach((resident, i) => {
    const checkin = byId.get(resident.checkinId);
    const answer = answers[i] as Answer;
    const pairs: Array<[unknown, unknown]> = [
      [checkin?.feeling, answer.feeling],
      [checkin?.craving, answer.craving],
      [checkin?.mood, answer.mood],
      [checkin?.meetingToday, answer.meeting],
    ];
    for (const [held, given] of pairs) {
      if (held === given) stored += 1;
      else if (held !== null && held !== undefined) wrong += 1;
    }
  });
  return { stored, wrong };
}
