import { earliestDue } from "./dueInstants.ts";
import type { TestApp } from "./testApp.ts";

/**
 * Moves the fake clock from one interesting instant to the next (a due check-in, a reminder, a
 * window closing, an escalation, a retry) and runs the minute sweep and the outbox there, until
 * `end`. Days of bot time pass in a few hundred steps, and every step happens at the exact
 * instant the real scheduler would act (to within its one-minute tick).
 */
export async function runUntil(t: TestApp, end: Date | string, onStep?: (now: Date) => Promise<void>): Promise<number> {
  const stop = new Date(end).getTime();
  let steps = 0;
  for (;;) {
    await t.tick();
    if (onStep) await onStep(t.clock.now());
    const next = await earliestDue(t.database.prisma);
    if (next === null || next > stop) break;
    // The scheduler ticks on whole minutes: never act before the due instant.
    const onMinute = Math.ceil(next / 60_000) * 60_000;
    t.clock.set(new Date(Math.max(onMinute, t.clock.now().getTime() + 60_000)));
    steps++;
  }
  t.clock.set(new Date(stop));
  await t.tick();
  return steps;
}

/** Adds a resident who has agreed to check-ins, as the consent button would. */
export async function addResident(
  t: TestApp,
  name: string,
  options: { time?: string; timezone?: string; sobrietyDate?: string; keyCounsellor?: string } = {},
) {
  await t.chat.command(name, "help");
  const house = await t.app.services.houses.findByWorkspace(t.chat.platform, t.chat.workspaceId);
  if (!house) throw new Error("set up the house first");
  const member = await t.app.services.members.byPlatformUser(house.id, name);
  if (!member) throw new Error(`${name} was not created`);
  const key = options.keyCounsellor ? await t.app.services.members.byPlatformUser(house.id, options.keyCounsellor) : null;
  await t.database.prisma.member.update({
    where: { id: member.id },
    data: { checkinTime: options.time ?? null, timezone: options.timezone ?? null, keyCounsellorId: key?.id ?? null },
  });
  if (options.sobrietyDate) await t.app.services.checkins.enrolment.setSobrietyDate(member.id, options.sobrietyDate, member.id);
  await t.chat.press(name, "consent:agree");
  return t.database.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
}

/** Makes `name` a counsellor (created on first contact), optionally on duty. */
export async function addCounsellor(t: TestApp, name: string, options: { onDuty?: boolean } = {}) {
  await t.chat.command(name, "help");
  await t.chat.command("owner", "staff", `add @${name} counsellor`);
  if (options.onDuty) await t.chat.command(name, "oncall", "on");
  const house = await t.app.services.houses.findByWorkspace(t.chat.platform, t.chat.workspaceId);
  const member = house ? await t.app.services.members.byPlatformUser(house.id, name) : null;
  if (!member) throw new Error(`${name} was not created`);
  return member;
}
