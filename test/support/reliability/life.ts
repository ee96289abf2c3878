import { DateTime } from "luxon";
import { daysBetween } from "../../../src/domain/checkin/index.ts";
import type { FakeChat } from "../fakeChat.ts";
import { runUntil } from "../simulate.ts";
import type { TestApp } from "../testApp.ts";
import { escalationFindings, idAfter, reconcile } from "./checks.ts";
import type { Behaviour } from "./house.ts";
import { checkinIdOf, type SinkRecord, seededRandom } from "./sink.ts";

const MINUTE = 60_000;

/**
 * Leaves named sweepers out of the app's minute sweep (the scheduler holds the same array). The
 * time simulations leave out the morning digest: it draws a chart for every simulated morning,
 * which costs more than everything else in a simulated day and has no part in the schedule.
 */
export function withoutSweepers(t: TestApp, names: string[]): void {
  const sweepers = t.app.services.sweepers;
  for (let i = sweepers.length - 1; i >= 0; i--) {
    const sweeper = sweepers[i];
    if (sweeper && names.includes(sweeper.name)) sweepers.splice(i, 1);
  }
}

/** FakeChat's deliveries in the sink's shape, so the same reconciliation applies. */
export function fakeChatRecords(chat: FakeChat): SinkRecord[] {
  return chat.delivered.map((d, i) => ({
    seq: i + 1,
    worker: "in-process",
    kind: d.kind,
    to: d.to,
    message: d.message,
    channelId: d.ref.channelId,
    refMessageId: d.ref.messageId,
  }));
}

export interface LifeOptions {
  /** Behaviour shares; the rest answer at once. */
  afterReminder: number;
  used: number;
  silent: number;
  /** Share of alerts a counsellor acknowledges when the first copy reaches them ... */
  acknowledge: number;
  /** ... and of those, the share they also resolve at once (the rest re-trigger after 4 hours). */
  resolve: number;
  seed: number;
}

export interface LifeFigures {
  steps: number;
  prompts: number;
  reminders: number;
  answered: number;
  missed: number;
  alerts: number;
  alertNotifications: number;
  acknowledged: number;
  resolved: number;
}

/**
 * Lives through `start`..`end` with runUntil: residents answer each prompt (or the reminder, or
 * not at all) as a seeded generator decides, and counsellors acknowledge (and resolve) some
 * alerts when they arrive; the rest climb the escalation ladder. Every press goes through the real dispatcher.
 */
export async function live(
  t: TestApp,
  end: Date,
  options: LifeOptions,
): Promise<{ figures: LifeFigures; behaviour: Map<string, Behaviour> }> {
  const random = seededRandom(options.seed);
  const behaviour = new Map<string, Behaviour>();
  const handledAlerts = new Set<string>();
  let seen = 0;
  let acknowledged = 0;
  let resolved = 0;
  const steps = await runUntil(t, end, async () => {
    const fresh = t.chat.delivered.slice(seen);
    seen = t.chat.delivered.length;
    for (const delivered of fresh) {
      if (delivered.kind !== "direct") continue;
      const checkinId = checkinIdOf(delivered.message);
      if (checkinId) {
        if (delivered.message.title === "Daily check-in") {
          const roll = random();
          const chosen: Behaviour =
            roll < options.silent
              ? "silent"
              : roll < options.silent + options.afterReminder
                ? "afterReminder"
                : roll < options.silent + options.afterReminder + options.used
                  ? "used"
                  : "steady";
          behaviour.set(checkinId, chosen);
          if (chosen === "steady" || chosen === "used") await t.chat.press(delivered.to, `ci:f:${checkinId}:${chosen}`);
        } else if (behaviour.get(checkinId) === "afterReminder") {
          await t.chat.press(delivered.to, `ci:f:${checkinId}:steady`);
        }
        continue;
      }
      const alertId = idAfter(delivered.message, "al:ack:");
      if (alertId && !handledAlerts.has(alertId)) {
        handledAlerts.add(alertId);
        if (random() < options.acknowledge) {
          await t.chat.press(delivered.to, `al:ack:${alertId}`);
          acknowledged++;
          if (random() < options.resolve) {
            await t.chat.submit(delivered.to, `alres:${alertId}`, { outcome: "Talked it through; they are safe." });
            resolved++;
          }
        }
      }
    }
  });
  const db = t.database.prisma;
  const count = (b: Behaviour) => [...behaviour.values()].filter((x) => x === b).length;
  const alerts = await db.alert.count();
  const notifications = await db.alertEvent.count({ where: { kind: "notified" } });
  return {
    behaviour,
    figures: {
      steps,
      prompts: behaviour.size,
      reminders: await db.checkin.count({ where: { remindedAt: { not: null } } }),
      answered: count("steady") + count("used") + count("afterReminder"),
      missed: await db.checkin.count({ where: { status: "missed" } }),
      alerts,
      alertNotifications: notifications,
      acknowledged,
      resolved,
    },
  };
}

/** A problem found in the timeline, as a line a failure message can show. */
export type Finding = string;

/**
 * Checks what the residents lived through, from the database and the chat's own record:
 * - one check-in per resident per local day, every day from the first to the last, none twice;
 * - each prompted at its due instant, which is the resident's local time (or, on a spring-forward
 *   night when that time does not exist, the first instant after the gap), and DMed exactly once;
 * - a reminder exactly two hours after the prompt, once, and only if it was unanswered by then;
 * - each alert level notified once per round, never before the previous level's timeout;
 * - every outbox row delivered exactly once, and nothing delivered that no row asked for (one house).
 */
export async function verifyTimeline(
  t: TestApp,
  residents: Array<{ id: string; name: string; time: string; zone: string }>,
  window: { from: Date; until: Date },
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const db = t.database.prisma;
  const records = fakeChatRecords(t.chat);
  const prompts = new Map<string, number>();
  const reminders = new Map<string, number>();
  for (const record of records) {
    const id = record.kind === "direct" ? checkinIdOf(record.message) : null;
    if (!id) continue;
    const into = record.message.title === "Daily check-in" ? prompts : reminders;
    into.set(id, (into.get(id) ?? 0) + 1);
  }
  for (const resident of residents) {
    const checkins = await db.checkin.findMany({ where: { memberId: resident.id }, orderBy: { localDate: "asc" } });
    const dates = checkins.map((c) => c.localDate);
    const first = dates[0];
    const last = dates.at(-1);
    if (!first || !last) {
      findings.push(`${resident.name}: no check-ins`);
      continue;
    }
    if (dates.length !== daysBetween(first, last) + 1 || new Set(dates).size !== dates.length) {
      findings.push(`${resident.name}: ${dates.length} check-ins for ${daysBetween(first, last) + 1} local days ${first}..${last}`);
    }
    const startDay = DateTime.fromJSDate(window.from, { zone: resident.zone }).toISODate();
    if (startDay && daysBetween(startDay, first) > 1) findings.push(`${resident.name}: first check-in ${first}, days after ${startDay}`);
    for (const checkin of checkins) {
      const local = DateTime.fromJSDate(checkin.dueAt, { zone: resident.zone });
      const shown = local.toFormat("HH:mm");
      const wanted = `${checkin.localDate} ${resident.time}`;
      const shownFull = `${local.toISODate()} ${shown}`;
      // Either the local clock shows the time, or the time did not exist that night and this is the first minute after the gap.
      const before = DateTime.fromMillis(checkin.dueAt.getTime() - 1, { zone: resident.zone });
      const inGap = shownFull > wanted && before.toFormat("yyyy-MM-dd HH:mm") < wanted && before.offset < local.offset;
      if (shownFull !== wanted && !inGap) findings.push(`${resident.name} ${checkin.localDate}: due at ${shownFull}, wanted ${wanted}`);
      if (checkin.promptedAt?.getTime() !== checkin.dueAt.getTime()) {
        findings.push(
          `${resident.name} ${checkin.localDate}: prompted at ${checkin.promptedAt?.toISOString()}, due ${checkin.dueAt.toISOString()}`,
        );
      }
      if (prompts.get(checkin.id) !== 1) findings.push(`${resident.name} ${checkin.localDate}: ${prompts.get(checkin.id) ?? 0} prompts`);
      const remindAt = checkin.dueAt.getTime() + 120 * MINUTE;
      if (remindAt > window.until.getTime()) continue;
      const answeredInTime = checkin.answeredAt !== null && checkin.answeredAt.getTime() < remindAt;
      const expected = answeredInTime ? 0 : 1;
      if ((reminders.get(checkin.id) ?? 0) !== expected) {
        findings.push(`${resident.name} ${checkin.localDate}: ${reminders.get(checkin.id) ?? 0} reminders, expected ${expected}`);
      }
      if (checkin.remindedAt && checkin.remindedAt.getTime() !== remindAt) {
        findings.push(
          `${resident.name} ${checkin.localDate}: reminded at ${checkin.remindedAt.toISOString()}, 2 h after the prompt is ${new Date(remindAt).toISOString()}`,
        );
      }
    }
  }
  findings.push(...escalationFindings(await db.alert.findMany({ include: { events: true } })));
  const house = await db.house.findFirstOrThrow();
  const books = await reconcile(db, records, house.id);
  if (Object.keys(books.notDelivered).length) findings.push(`rows not delivered: ${JSON.stringify(books.notDelivered)}`);
  if (books.rowsWithoutSend.length) findings.push(`rows marked sent that never arrived: ${books.rowsWithoutSend.slice(0, 5).join(", ")}`);
  if (books.doubleMatched.length) findings.push(`rows that arrived twice: ${books.doubleMatched.slice(0, 5).join(", ")}`);
  if (books.unmatchedSends.length) findings.push(`${books.unmatchedSends.length} messages arrived that no sent row records`);
  if (books.editMismatches.length) findings.push(`edits: ${JSON.stringify(books.editMismatches.slice(0, 5))}`);
  return findings;
}
