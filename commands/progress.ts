import { DateTime } from "luxon";
import { z } from "zod";
import { reply } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import { daysBetween, isValidZone, localDateOf, RECENT_DAYS_LEGEND, suggestZone } from "../src/domain/checkin/index.ts";
import { streakLine } from "./checkinReplies.ts";
import { command } from "./define.ts";

const say = (text: string) => [reply(message(text, { ephemeral: true }))];

export const streakCommand = command({
  name: "streak",
  description: "Your days sober, total sober days, next milestone and last 14 days",
  access: ["resident"],
  options: z.object({}),
  async run(ctx) {
    if (!ctx.member) return [];
    const p = await ctx.services.checkins.answers.progress(ctx.member.id);
    return [
      reply(
        message(`${streakLine(p)}\nLast 14 days: ${p.recentLine}\n${RECENT_DAYS_LEGEND}`, {
          title: "Your progress",
          fields: [
            { label: "Total sober days", value: String(p.totalSoberDays) },
            ...(p.lapses > 0 ? [{ label: "Lapses recorded (your history is kept)", value: String(p.lapses) }] : []),
          ],
          ephemeral: true,
        }),
      ),
    ];
  },
});

export const scheduleCommand = command({
  name: "schedule",
  description: "Set the time and time zone of your daily check-in",
  access: ["resident"],
  options: z.object({
    time: opt.time("Local time, 24-hour, like 20:30").optional(),
    timezone: opt.text("Your time zone, like Europe/London", 60).optional(),
  }),
  examples: ["/schedule 21:00 Europe/London"],
  async run(ctx, input) {
    if (!ctx.member) return [];
    if (input.timezone && !isValidZone(input.timezone)) {
      const suggestion = suggestZone(input.timezone);
      return say(
        `I don't know the time zone "${input.timezone.slice(0, 60)}".${suggestion ? ` Did you mean ${suggestion}? Try /schedule timezone:${suggestion}` : " Use a name like Europe/London or America/New_York."}`,
      );
    }
    const result = await ctx.services.checkins.enrolment.setSchedule(ctx.member.id, { time: input.time, zone: input.timezone });
    if (result.outcome !== "saved") return say("Your check-ins have ended, so there is nothing to schedule.");
    const next = result.nextAt
      ? ` Next one: ${DateTime.fromJSDate(result.nextAt, { zone: result.zone }).toFormat("ccc d LLL 'at' HH:mm")}.`
      : "";
    return say(`Your check-in is at ${result.time} (${result.zone}) each day.${next}`);
  },
});

export const pauseCommand = command({
  name: "pause",
  description: "Pause your daily check-ins, until a date or until you resume",
  access: ["resident"],
  options: z.object({ until: opt.date("Last day of the pause, like 2027-03-28").optional() }),
  async run(ctx, input) {
    if (!ctx.member || !ctx.house) return [];
    if (input.until && daysBetween(localDateOf(ctx.clock.now(), ctx.house.timezone), input.until) < 0) {
      return say("That date has already passed. Give a date from today on, or leave it out to pause until you /resume.");
    }
    const result = await ctx.services.checkins.enrolment.pause(ctx.member.id, input.until);
    if (result !== "paused") return say("Your check-ins aren't running, so there is nothing to pause.");
    return say(
      input.until ? `Check-ins are paused until the end of ${input.until}.` : "Check-ins are paused. Type /resume when you want them back.",
    );
  },
});

export const resumeCommand = command({
  name: "resume",
  description: "Start your daily check-ins again",
  access: ["resident"],
  options: z.object({}),
  async run(ctx) {
    if (!ctx.member) return [];
    const result = await ctx.services.checkins.enrolment.resume(ctx.member.id);
    if (result.outcome !== "resumed") return say("Your check-ins aren't paused.");
    return say("Welcome back. Check-ins are running again.");
  },
});

export const sobrietyDateCommand = command({
  name: "sobriety-date",
  description: "Set the date your current streak started (your history is kept)",
  access: ["resident"],
  options: z.object({ date: opt.date("The date, like 2027-01-15") }),
  async run(ctx, input) {
    if (!ctx.member || !ctx.house) return [];
    const today = localDateOf(ctx.clock.now(), ctx.house.timezone);
    if (daysBetween(input.date, today) < 0) return say("That date is in the future. Give the day your current streak began.");
    await ctx.services.checkins.enrolment.setSobrietyDate(ctx.member.id, input.date, ctx.member.id);
    const p = await ctx.services.checkins.answers.progress(ctx.member.id);
    return say(`Saved. ${streakLine(p)}`);
  },
});

export const celebrateCommand = command({
  name: "celebrate",
  description: "Choose whether the house channel celebrates your milestones (only the milestone is posted)",
  access: ["resident"],
  options: z.object({ choice: opt.choice("on or off", ["on", "off"] as const) }),
  async run(ctx, input) {
    if (!ctx.member) return [];
    await ctx.services.checkins.enrolment.setCelebrateInHouse(ctx.member.id, input.choice === "on");
    return say(
      input.choice === "on"
        ? "The house channel will celebrate your milestones. Only the milestone is posted, never your answers."
        : "Your milestones stay between you and the bot.",
    );
  },
});
