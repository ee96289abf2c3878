import type { Message } from "../../../src/core/message.ts";
import { textOf } from "../../support/fakeChat.ts";
import type { TestApp } from "../../support/testApp.ts";

export async function memberNamed(t: TestApp, name: string) {
  return t.database.prisma.member.findFirstOrThrow({ where: { platformUserId: name } });
}

/** The newest DM to someone with this title. */
export function lastDm(t: TestApp, user: string, title: string): Message | undefined {
  return t.chat
    .dmsTo(user)
    .filter((m) => m.title === title)
    .at(-1);
}

export function words(message: Message | undefined): string {
  return message ? textOf([message]) : "";
}

export function actionIds(message: Message | undefined): string[] {
  return (message?.buttons ?? []).flat().map((b) => b.actionId);
}

/**
 * A resident who can be a buddy: taken in by `counsellor` with a programme start long ago, agreed
 * to check-ins, and granted the role.
 */
export async function addBuddy(
  t: TestApp,
  name: string,
  options: { counsellor?: string; programmeStart?: string; role?: "buddy" | "senior-peer"; preferences?: string } = {},
) {
  const counsellor = options.counsellor ?? "jo";
  const prefs = options.preferences ? ` preferences:${options.preferences}` : "";
  await t.chat.command(counsellor, "intake", `@${name} programme-start:${options.programmeStart ?? "2026-10-01"}${prefs}`);
  await t.chat.press(name, "consent:agree");
  await t.chat.command(counsellor, "peer-role", `@${name} ${options.role ?? "buddy"} steady and kind`);
  await t.deliver();
  return memberNamed(t, name);
}

/** Answers whoever of `names` has an open, prompted check-in: a resident who never misses. */
export async function answerOpenCheckins(t: TestApp, names: string[]): Promise<void> {
  const open = await t.database.prisma.checkin.findMany({
    where: { status: "pending", promptedAt: { not: null }, member: { platformUserId: { in: names } } },
    include: { member: true },
  });
  for (const checkin of open) await t.chat.command(checkin.member.platformUserId, "checkin", "steady 1 4 yes");
}
