import { DateTime } from "luxon";
import type { Actor } from "../core/events.ts";
import { type Message, message } from "../core/message.ts";
import { localDateOf } from "../domain/checkin/index.ts";
import { KIND_LABELS } from "./alerts/messages.ts";
import type { CheckinAnswers } from "./checkins/answers.ts";
import type { ServiceDeps } from "./deps.ts";

const STATUS_TEXT = { pending: "waiting for your answer", answered: "answered", missed: "missed", excused: "excused" } as const;

/** A person's own overview: for residents their progress and today's check-in, for counsellors the open alerts. */
export function createHome(deps: ServiceDeps, answers: CheckinAnswers) {
  const { db, clock } = deps;

  return {
    async viewFor(actor: Actor): Promise<Message | null> {
      const house = await db.house.findUnique({
        where: { platform_workspaceId: { platform: actor.platform, workspaceId: actor.workspaceId } },
      });
      if (!house) return null;
      const member = await db.member.findUnique({ where: { houseId_platformUserId: { houseId: house.id, platformUserId: actor.userId } } });
      if (!member) return null;
      if (member.role !== "resident") {
        const open = await db.alert.findMany({
          where: { houseId: house.id, state: { in: ["open", "acknowledged"] } },
          include: { subject: true },
          orderBy: { createdAt: "asc" },
          take: 10,
        });
        return message(
          open.length ? "Open alerts, oldest first. Type /alerts for their buttons." : "No open alerts. Everyone is accounted for.",
          {
            title: `${house.name}: alerts`,
            fields: open.map((a) => ({ label: a.subject.displayName, value: `${KIND_LABELS[a.kind]} (${a.severity}, ${a.state})` })),
          },
        );
      }
      if (member.status === "invited")
        return message("Say hello in the Messages tab to get started.", { title: `Welcome to ${house.name}` });
      const zone = member.timezone ?? house.timezone;
      const today = localDateOf(clock.now(), zone);
      const [progress, checkin, pairing] = await Promise.all([
        answers.progress(member.id),
        db.checkin.findUnique({ where: { memberId_localDate: { memberId: member.id, localDate: today } } }),
        db.buddyPairing.findFirst({
          where: { status: "active", OR: [{ newcomerId: member.id }, { buddyId: member.id }] },
          include: { buddy: true, newcomer: true },
        }),
      ]);
      const todayText = checkin
        ? STATUS_TEXT[checkin.status]
        : member.nextCheckinAt
          ? `comes at ${DateTime.fromJSDate(member.nextCheckinAt, { zone }).toFormat("HH:mm")}`
          : member.status === "paused"
            ? "paused"
            : "not scheduled";
      const fields = [
        { label: "Days sober", value: progress.streakStart ? String(progress.daysSober) : "set it with /sobriety-date" },
        { label: "Today's check-in", value: todayText },
        { label: "Last 14 days", value: progress.recentLine },
      ];
      if (progress.nextMilestone)
        fields.push({ label: "Next milestone", value: `${progress.nextMilestone.label} in ${progress.nextMilestone.daysAway} days` });
      if (pairing) {
        fields.push(
          pairing.newcomerId === member.id
            ? { label: "Your buddy", value: pairing.buddy.displayName }
            : { label: "You are buddy to", value: pairing.newcomer.displayName },
        );
      }
      return message("Answer check-ins in the Messages tab, or with /checkin.", { title: `Hi ${member.displayName}`, fields });
    },
  };
}
