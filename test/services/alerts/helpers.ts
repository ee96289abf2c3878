import type { Message } from "../../../src/core/message.ts";
import { type HouseSettings, readHouseSettings } from "../../../src/domain/houseSettings.ts";
import type { Alert, Prisma } from "../../../src/generated/prisma/client.ts";
import type { RiskSignalKind } from "../../../src/generated/prisma/enums.ts";
import type { Delivered } from "../../support/fakeChat.ts";
import type { TestApp } from "../../support/testApp.ts";

/** Everyone a step of the escalation reaches: platform user ids for DMs, channel ids for posts. */
export const EVERY_COUNSELLOR_AND_STAFF = ["jo", "kim", "lee", "owner", "staff"];

export async function memberNamed(t: TestApp, name: string) {
  return t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: name } });
}

/** The newest alert about a resident, optionally of one kind. */
export async function alertAbout(t: TestApp, name: string, kind?: RiskSignalKind): Promise<Alert> {
  return t.database.prisma.alert.findFirstOrThrow({
    where: { subject: { platformUserId: name }, ...(kind ? { kind } : {}) },
    orderBy: { createdAt: "desc" },
  });
}

export async function alertsAbout(t: TestApp, name: string): Promise<Alert[]> {
  return t.database.prisma.alert.findMany({ where: { subject: { platformUserId: name } }, orderBy: { createdAt: "asc" } });
}

/** The policy level an alert is waiting on, by its target ("keyCounsellor", "onDutyCounsellors", …). */
export function levelTarget(alert: Alert): string | undefined {
  const policy = alert.policy as { levels?: Array<{ target: string }> };
  return policy.levels?.[alert.level]?.target;
}

export async function eventKinds(t: TestApp, alertId: string): Promise<string[]> {
  const events = await t.database.prisma.alertEvent.findMany({ where: { alertId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  return events.map((e) => e.kind);
}

/** Whether a message is about this alert: every alert DM, nudge, notice and update carries its id in a button. */
export function isAbout(message: Message, alertId: string): boolean {
  return (message.buttons ?? []).flat().some((b) => b.actionId.endsWith(`:${alertId}`));
}

/** New sends (DMs and channel posts, not edits) about an alert, from `mark` on. */
export function sendsAbout(t: TestApp, alertId: string, mark = 0): Delivered[] {
  return t.chat.delivered.slice(mark).filter((d) => d.kind !== "update" && isAbout(d.message, alertId));
}

/** Who received new sends about an alert since `mark`, sorted, once each. */
export function reachedSince(t: TestApp, alertId: string, mark = 0): string[] {
  return [...new Set(sendsAbout(t, alertId, mark).map((d) => d.to))].sort();
}

/** Moves the clock to an instant, runs the minute sweep and the outbox there, and says who heard about the alert. */
export async function reachedAt(t: TestApp, instant: string, alertId: string): Promise<string[]> {
  const mark = t.chat.delivered.length;
  t.clock.set(instant);
  await t.tick();
  return reachedSince(t, alertId, mark);
}

/** All the words of a message, for `toContain` assertions. */
export function wordsOf(message: Message | undefined): string {
  if (!message) return "";
  return [message.title, message.text, ...(message.fields ?? []).map((f) => `${f.label}: ${f.value}`)].filter(Boolean).join("\n");
}

/** Changes some of the house's settings, as /setup would, keeping the rest. */
export async function changeSettings(t: TestApp, patch: Partial<HouseSettings>): Promise<void> {
  const house = await t.database.prisma.house.findFirstOrThrow();
  const settings = { ...readHouseSettings(house.settings), ...patch };
  await t.database.prisma.house.update({
    where: { id: house.id },
    data: { settings: JSON.parse(JSON.stringify(settings)) as Prisma.InputJsonObject },
  });
}

/** Gives a newcomer an active buddy, as an approved pairing would. */
export async function pairBuddy(t: TestApp, newcomer: string, buddy: string): Promise<void> {
  const [n, b] = [await memberNamed(t, newcomer), await memberNamed(t, buddy)];
  await t.database.prisma.buddyPairing.create({
    data: {
      houseId: n.houseId,
      newcomerId: n.id,
      buddyId: b.id,
      status: "active",
      activeNewcomerId: n.id,
      startedAt: t.clock.now(),
    },
  });
}
