import { z } from "zod";
import { reply } from "../../src/core/command.ts";
import { LIMITS, message, truncate } from "../../src/core/message.ts";
import { opt } from "../../src/core/options.ts";
import { localDateOf } from "../../src/domain/checkin/schedule.ts";
import { weekStartOf } from "../../src/domain/meetings/index.ts";
import { attendanceLine } from "../../src/services/meetings/messages.ts";
import { command } from "../define.ts";
import { say } from "./replies.ts";

const STATUS_TEXT = { went: "went", could_not: "couldn't make it", excused: "excused" } as const;

function dayLabel(localDate: string): string {
  const date = new Date(`${localDate}T12:00:00Z`);
  return date.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
}

export const attendanceCommand = command({
  name: "attendance",
  description: "Meeting attendance per resident for a week (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({
    user: opt.user("One resident (leave out for everyone)").optional(),
    week: opt.date("Any day in the week, like 2027-03-01 (default: this week)").optional(),
  }),
  examples: ["/attendance", "/attendance @sam", "/attendance week:2027-03-01"],
  async run(ctx, input) {
    const house = ctx.house;
    const member = ctx.member;
    if (!house || !member) return [];
    let residentId: string | undefined;
    if (input.user) {
      const resident = await ctx.services.members.byPlatformUser(house.id, input.user);
      if (!resident || resident.role !== "resident") return say("I don't know that resident. Check the name.");
      residentId = resident.id;
    }
    const weekStart = weekStartOf(input.week ?? localDateOf(ctx.clock.now(), house.timezone));
    const report = await ctx.services.meetings.attendanceForWeek(house.id, weekStart, { viewerId: member.id, memberId: residentId });
    const title = `Meeting attendance, week of ${dayLabel(report.weekStart)}`;
    if (report.residents.length === 0) return say(`${title}: no residents to show.`);
    const lines: string[] = [];
    for (const week of report.residents) {
      lines.push(attendanceLine(week));
      if (residentId) {
        for (const entry of week.entries) {
          lines.push(
            `  ${dayLabel(entry.localDate)} · ${entry.meetingName}${entry.required ? " (required)" : ""} · ${entry.status ? STATUS_TEXT[entry.status] : "no answer"}`,
          );
        }
      }
    }
    lines.push("", 'Answers come from the "did you go?" buttons after each meeting and the daily check-in\'s meeting question.');
    return [reply(message(truncate(lines.join("\n"), LIMITS.textLength), { title, ephemeral: true }))];
  },
});
