import { DateTime } from "luxon";
import { createApp } from "../app.ts";
import type { Actor, InboundEvent } from "../core/events.ts";
import type { Clock, Logger } from "../core/ports.ts";
import type { Database } from "../db/client.ts";
import type { TextCipher } from "../db/crypto.ts";
import { TranscriptChat } from "./transcriptChat.ts";

export const DEMO_WORKSPACE = "demo";
const ZONE = "Europe/London";
const STEP_MINUTES = 30;

/** An inbound event without the parts the demo fills in (who, where, which id). */
type EventBody = InboundEvent extends infer E
  ? E extends InboundEvent
    ? Omit<E, "eventId" | "actor" | "conversation" | "workspaceName">
    : never
  : never;

class DemoClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date): void {
    this.current = new Date(instant);
  }
}

export interface DemoOptions {
  database: Database;
  cipher: TextCipher;
  logger: Logger;
  output: NodeJS.WritableStream & { write(text: string): boolean };
  days: number;
  /** The Monday 09:00 the week starts (default: the week just gone). */
  startAt?: Date;
  /** Pause after each narrated step, in milliseconds (0 at full speed). */
  pauseMs: number;
  shouldStop: () => boolean;
}

/** The people of the demo house; each speaks through the same dispatcher as a real chat. */
const PEOPLE = { counsellor: "sam", senior: "lee", newcomer: "ava", others: ["ben", "cal", "dee"] } as const;

/**
 * Plays a week in a demo house through the real services, outbox and scheduler sweep, with a
 * clock that runs fast and a narrator explaining what happens and why.
 */
export async function playDemoWeek(options: DemoOptions): Promise<void> {
  const { output } = options;
  // The demo week is the one just gone, so `npm start -- --house demo` carries on from it in real time.
  const start = options.startAt
    ? DateTime.fromJSDate(options.startAt, { zone: ZONE })
    : DateTime.now().setZone(ZONE).minus({ days: options.days }).startOf("week").set({ hour: 9 });
  const daysBefore = (n: number) => start.minus({ days: n }).toISODate() ?? "";
  const clock = new DemoClock(start.toJSDate());
  const chat = new TranscriptChat(
    output as unknown as import("node:stream").Writable,
    new Set([PEOPLE.counsellor, PEOPLE.newcomer, PEOPLE.senior]),
  );
  const app = createApp({
    config: { defaultTimezone: ZONE },
    cipher: options.cipher,
    database: options.database,
    adapters: [chat],
    clock,
    logger: options.logger,
    timers: false,
  });
  await app.start();
  let eventCounter = 0;
  const pause = () => (options.pauseMs > 0 ? new Promise((r) => setTimeout(r, options.pauseMs)) : Promise.resolve());

  const narrate = async (text: string) => {
    chat.print(`\n» ${text}`);
    await pause();
  };
  const actor = (name: string): Actor => ({
    platform: "console",
    workspaceId: DEMO_WORKSPACE,
    userId: name,
    displayName: name,
    isWorkspaceAdmin: name === PEOPLE.counsellor,
  });
  const send = async (name: string, event: EventBody, shown: string) => {
    chat.print(`${name}: ${shown}`);
    const full = {
      ...event,
      eventId: `demo-${clock.now().getTime()}-${++eventCounter}`,
      actor: actor(name),
      conversation: { channelId: `dm-${name}`, isDirect: true },
      workspaceName: "Demo House",
    } as InboundEvent;
    await chat.handlers?.handle(full, {
      reply: async (m) => chat.show(name, m, "bot:"),
      update: async (m) => chat.show(name, m, "bot (updates):"),
      openForm: async (form) => chat.print(`bot: (opens the form "${form.title}")`),
    });
    await deliver();
  };
  const command = (name: string, text: string) => {
    const [head, ...rest] = text.split(" ");
    return send(name, { kind: "command", command: (head ?? "").replace(/^\//, ""), input: { text: rest.join(" ") } }, text);
  };
  const press = async (name: string, matches: (label: string, actionId: string) => boolean) => {
    const button = chat.findButton(name, matches);
    if (!button) throw new Error(`${name} has no such button to press`);
    await send(name, { kind: "action", actionId: button.actionId }, `[presses "${button.label}"]`);
  };
  const submit = (name: string, formId: string, values: Record<string, string>, shown: string) =>
    send(name, { kind: "formSubmit", formId, values }, shown);
  const dm = (name: string, text: string) => send(name, { kind: "directText", text }, text);
  const deliver = async () => {
    for (let i = 0; i < 50; i++) if ((await app.outbox.runOnce()).claimed === 0) return;
  };
  /** Runs the minute sweep every half hour of demo time up to `until`, printing what the bot sends. */
  const runUntil = async (until: DateTime) => {
    let at = DateTime.fromJSDate(clock.now(), { zone: ZONE });
    while (at < until && !options.shouldStop()) {
      at = DateTime.min(at.plus({ minutes: STEP_MINUTES }), until);
      clock.set(at.toJSDate());
      await app.scheduler.sweep(at.toJSDate());
      await deliver();
    }
  };
  /** A resident who arrived before the demo starts: agreed, with a sobriety date, Sam as key counsellor. */
  const seedResident = async (name: string, since: string) => {
    const house = await app.services.houses.findByWorkspace("console", DEMO_WORKSPACE);
    const sam = house ? await app.services.members.byPlatformUser(house.id, PEOPLE.counsellor) : null;
    if (!house || !sam) throw new Error("the demo house was not set up");
    const member = await options.database.prisma.member.create({
      data: { houseId: house.id, platformUserId: name, displayName: name, programmeStart: since, keyCounsellorId: sam.id },
    });
    await app.services.checkins.enrolment.setSobrietyDate(member.id, since, sam.id);
    await app.services.checkins.enrolment.agree(member.id);
  };
  const day = (n: number, time: string) =>
    start
      .startOf("day")
      .plus({ days: n })
      .set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3)) });
  const heading = (n: number) => chat.print(`\n──────── ${start.plus({ days: n }).toFormat("cccc d LLLL")} ────────`);

  try {
    heading(0);
    await narrate("Sam is a counsellor at a sober-living house. Sam runs the house's chat server, so /setup makes Sam the house admin.");
    await command(PEOPLE.counsellor, '/setup timezone:Europe/London country:gb house-channel:house staff-channel:staff "name:Demo House"');
    await narrate("The house's meetings: a required in-house group, plus an AA and an NA meeting residents can follow.");
    await command(
      PEOPLE.counsellor,
      "/meeting-admin add House group days:wed time:18:00 duration:60 required:yes fellowship:in_house place:Group-room",
    );
    await command(
      PEOPLE.counsellor,
      "/meeting-admin add Tuesday Big Book days:tue time:19:30 duration:60 fellowship:AA place:St-Mary's-hall",
    );
    await command(PEOPLE.counsellor, "/meeting-admin add Clean Living days:thu time:19:00 duration:90 fellowship:NA place:Library");
    await narrate(
      "Four residents already live here: Lee, near the end of the programme, and Ben, Cal and Dee. They agreed to check-ins when they arrived.",
    );
    await seedResident(PEOPLE.senior, daysBefore(217));
    await seedResident("ben", daysBefore(55));
    await seedResident("cal", daysBefore(76));
    // Day 3 of the week is Dee's 30th day.
    await seedResident("dee", daysBefore(27));
    // Dee chose to have milestones celebrated in the house channel (/celebrate on).
    await options.database.prisma.member.updateMany({ where: { platformUserId: "dee" }, data: { celebrateInHouse: true } });
    await narrate("Lee is near the end of the programme. Sam trusts Lee with the senior peer role, so Lee can buddy newcomers.");
    await command(PEOPLE.counsellor, "/peer-role @lee senior-peer near completion and steady");
    await narrate("Ava arrives today. On intake the bot proposes buddies to Sam, best match first; Sam confirms Lee.");
    await command(PEOPLE.counsellor, `/intake @${PEOPLE.newcomer} ${daysBefore(5)}`);
    await press(PEOPLE.newcomer, (label) => label === "I agree");
    await press(PEOPLE.counsellor, (_label, id) => id.startsWith("bp:ok:"));

    for (let n = 0; n < options.days && !options.shouldStop(); n++) {
      if (n > 0) heading(n);
      if (n === 2) await narrate("The in-house group is at 18:00. An hour before, every resident gets a reminder with the place.");
      if (n === 3)
        await narrate(
          "Today is Dee's 30th day. The bot congratulates Dee when today's check-in goes out, and, because Dee opted in, the house channel celebrates too (nothing else about Dee is ever posted).",
        );
      if (n === 0)
        await narrate(
          "At 20:00 each resident gets the daily check-in by DM. Answering takes about 20 seconds, by buttons or in plain words.",
        );
      await runUntil(day(n, "20:00"));
      if (n === 2) {
        await narrate('After the group, a DM asks "did you go?". Ava went.');
        await press(PEOPLE.newcomer, (label) => label === "I went");
      }
      for (const name of [PEOPLE.senior, ...PEOPLE.others, PEOPLE.newcomer]) {
        if (n === 0 && name === PEOPLE.newcomer) continue;
        if (n === 1 && name === "ben") {
          await narrate("Ben is having a hard day. A craving of 9 is above the house threshold of 8, so Sam is alerted at once.");
          await dm(name, "struggling, craving 9, mood 2, no meeting");
          await press(PEOPLE.counsellor, (label) => label === "Acknowledge");
          await narrate(
            "Sam acknowledges: the alert stops escalating, and anyone else who was told sees Sam has it. Later Sam resolves it with a note.",
          );
          clock.set(new Date(clock.now().getTime() + 45 * 60_000));
          const alertId = chat.findButton(PEOPLE.counsellor, (_label, id) => id.startsWith("al:res:"))?.actionId.split(":")[2] ?? "";
          await submit(
            PEOPLE.counsellor,
            `alres:${alertId}`,
            { outcome: "Talked with Ben after dinner; he is going to the NA meeting on Thursday." },
            "[resolves: talked with Ben after dinner]",
          );
          continue;
        }
        await dm(
          name,
          ["sober, craving 1, mood 4, meeting yes", "steady, craving 2, mood 3, no meeting", "sober craving 0 mood 5 went to a meeting"][
            (n + name.length) % 3
          ] ?? "sober",
        );
      }
      if (n === 0)
        await narrate(
          "Ava forgot tonight's check-in. Two hours in, a gentle reminder; six hours in, the day is missed and her buddy Lee is asked to look in (never shown her answers).",
        );
      await runUntil(day(n + 1, "07:30"));
    }
    await narrate("Every morning Sam gets the house digest by DM; Sam can ask for it any time with /report.");
    await command(PEOPLE.counsellor, "/report");
    await narrate("That was a week in the demo house. Try it yourself: npm start -- --house demo, then /as ava or /as sam.");
  } finally {
    await app.stop();
  }
}
