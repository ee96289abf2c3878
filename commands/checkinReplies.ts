import { type Reply, reply, update } from "../src/core/command.ts";
import { type Message, message } from "../src/core/message.ts";
import { crisisLinesFor, crisisMessageText } from "../src/domain/alerts/index.ts";
import type { AnswerOutcome, Progress } from "../src/services/checkins/answers.ts";
import {
  closedMessage,
  cravingQuestion,
  feelingButtons,
  lapseResponse,
  meetingQuestion,
  moodQuestion,
  noteQuestion,
  strugglingResponse,
} from "../src/services/checkins/messages.ts";

export function streakLine(progress: Progress): string {
  if (progress.streakStart === null) {
    return progress.lapses > 0 ? "Your new streak starts tomorrow." : "Set your sobriety date with /sobriety-date to see your streak.";
  }
  const days = progress.daysSober === 1 ? "1 day" : `${progress.daysSober} days`;
  const next = progress.nextMilestone
    ? ` Next milestone: ${progress.nextMilestone.label} in ${progress.nextMilestone.daysAway} day${progress.nextMilestone.daysAway === 1 ? "" : "s"}.`
    : "";
  return `${days} sober.${next}`;
}

export function crisisReply(country: string, override?: Array<{ name: string; number: string }>, counsellorTold = true): Message {
  return message(crisisMessageText(crisisLinesFor(country, override), counsellorTold), { title: "If you need help right now" });
}

/**
 * What the resident sees after saving part of a check-in: the crisis numbers first if needed,
 * then a word for how they are, then the next question or the confirmation with their streak.
 * `asUpdate` replaces the message holding the buttons they pressed.
 */
export function answerReplies(outcome: AnswerOutcome, asUpdate: boolean, problems: string[] = []): Reply[] {
  if (outcome.outcome === "closed") return [reply(closedMessage())];
  if (outcome.outcome === "not_found")
    return [reply(message("That check-in isn't yours or no longer exists. Type /checkin to answer today's.", { ephemeral: true }))];
  if (outcome.outcome === "not_active")
    return [reply(message("Check-ins aren't running for you right now. Type /resume if you paused them.", { ephemeral: true }))];
  const replies: Reply[] = [];
  const { checkin } = outcome;
  if (outcome.crisis || checkin.feeling === "help") replies.push(reply(crisisReply(outcome.houseCountry, outcome.crisisLines)));
  const preface: string[] = [];
  if (problems.length) preface.push(problems.join(" "));
  if (outcome.lapseRecorded) preface.push(lapseResponse());
  else if (checkin.feeling === "struggling" && outcome.next === "craving") preface.push(strugglingResponse());
  const prefix = preface.length ? `${preface.join("\n\n")}\n\n` : "";
  let next: Message;
  switch (outcome.next) {
    case "feeling":
      next = message(`${prefix}How is today?`, { buttons: feelingButtons(checkin.id) });
      break;
    case "craving":
      next = cravingQuestion(checkin.id, prefix);
      break;
    case "mood":
      next = { ...moodQuestion(checkin.id), text: `${prefix}${moodQuestion(checkin.id).text}` };
      break;
    case "meeting":
      next = { ...meetingQuestion(checkin.id), text: `${prefix}${meetingQuestion(checkin.id).text}` };
      break;
    case "note":
      next = { ...noteQuestion(checkin.id), text: `${prefix}${noteQuestion(checkin.id).text}` };
      break;
    default:
      next = message(
        `${prefix}Thanks, today's check-in is saved. ${streakLine(outcome.progress)}\nLast 14 days: ${outcome.progress.recentLine}\nYou can change it until the window closes.`,
      );
  }
  replies.push(asUpdate ? update(next) : reply(next));
  return replies;
}
