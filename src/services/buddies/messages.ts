import { DateTime } from "luxon";
import { type Field, LIMITS, type Message, message, truncate } from "../../core/message.ts";
import type { IneligibleReason, RankedCandidate } from "../../domain/buddies/index.ts";
import type { PeerRole } from "../../generated/prisma/enums.ts";

/** Everything buddies read: short, warm, and never a word of anyone's check-in answers. */

export type PingAnswer = "way" | "call" | "later";
export const PING_ANSWERS: readonly PingAnswer[] = ["way", "call", "later"];

const day = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).toFormat("ccc d LLL");
const time = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).toFormat("HH:mm");
const label = (text: string) => truncate(text, LIMITS.buttonLabelLength);

export const ROLE_LABELS: Record<PeerRole, string> = { none: "no peer role", buddy_eligible: "buddy", senior_peer: "senior peer" };

export const REASON_TEXT: Record<IneligibleReason, string> = {
  self: "is the newcomer themselves",
  excluded: "was their last buddy",
  not_resident: "is not a resident",
  no_role: "does not hold the buddy or senior peer role",
  not_active: "is not taking part in check-ins right now",
  has_own_buddy: "still has a buddy of their own",
  at_capacity: "already buddies as many newcomers as their role allows",
  too_new: "has not been in the programme long enough yet",
  recent_lapse: "had a lapse in the last 14 days",
  recent_alert: "had an alert in the last 14 days",
};

export interface CandidateView extends RankedCandidate {
  name: string;
  peerRole: PeerRole;
}

function candidateLine(c: CandidateView): string {
  const parts = [
    ROLE_LABELS[c.peerRole],
    `${c.daysInProgramme} days in the programme`,
    c.daysSinceBuddied === null
      ? "has not buddied before"
      : c.activeNewcomers > 0
        ? `buddying ${c.activeNewcomers} now`
        : `last buddied ${c.daysSinceBuddied} days ago`,
    ...(c.sharedPreferences.length ? [`shares: ${c.sharedPreferences.join(", ")}`] : []),
  ];
  return parts.join(", ");
}

/** To the counsellors: the ranked candidates, each with a Confirm button carrying its proposal id. */
export function proposalMessage(newcomerName: string, proposals: Array<{ pairingId: string; candidate: CandidateView }>): Message {
  const fields: Field[] = proposals.map(({ candidate }) => ({
    label: `${candidate.rank}. ${candidate.name}`,
    value: candidateLine(candidate),
  }));
  return message(`Who could settle ${newcomerName} in, best match first. Confirm one, or choose someone yourself with /pair.`, {
    title: `A buddy for ${newcomerName}`,
    fields,
    buttons: [
      proposals.map(({ pairingId, candidate }, index) => ({
        actionId: `bp:ok:${pairingId}`,
        label: label(`Confirm ${candidate.name}`),
        ...(index === 0 ? { style: "primary" as const } : {}),
      })),
    ],
  });
}

const SHORT_REASONS: Record<IneligibleReason, string> = {
  self: "",
  excluded: "",
  not_resident: "not a resident",
  no_role: "no peer role",
  not_active: "not taking part in check-ins",
  has_own_buddy: "still has a buddy of their own",
  at_capacity: "already buddying",
  too_new: "new to the programme",
  recent_lapse: "a recent lapse",
  recent_alert: "a recent alert",
};

/** Why nobody could be proposed, summed up for the counsellor, with what to do next. */
export function noCandidateText(newcomerName: string, holders: number, reasons: IneligibleReason[]): string {
  const summary = [...new Set(reasons.map((r) => SHORT_REASONS[r]).filter(Boolean))].slice(0, 4).join(", ");
  const why =
    holders === 0
      ? "nobody in the house holds the buddy or senior peer role yet"
      : `nobody with a peer role can buddy right now${summary ? ` (${summary})` : ""}`;
  return `I couldn't find a buddy for ${newcomerName}: ${why}. You could grant the role to someone with /peer-role @name buddy <reason>, or choose someone yourself with /pair.`;
}

export function noCandidateMessage(newcomerName: string, holders: number, reasons: IneligibleReason[]): Message {
  return message(noCandidateText(newcomerName, holders, reasons), { title: `A buddy for ${newcomerName}` });
}

export function autoConfirmedMessage(newcomerName: string, buddyName: string): Message {
  return message(
    `${buddyName} is now ${newcomerName}'s buddy: the house confirms the best match automatically. If it isn't right, use /unpair with a reason.`,
    { title: `A buddy for ${newcomerName}` },
  );
}

/** A proposal copy once someone has settled it, so nobody confirms a stale one. */
export function proposalSettledMessage(newcomerName: string, buddyName: string, approverName: string | null): Message {
  return message(`${buddyName} is ${newcomerName}'s buddy${approverName ? `, confirmed by ${approverName}` : ""}.`, {
    title: `A buddy for ${newcomerName}`,
  });
}

export function introForNewcomer(buddyName: string, plannedEnd: Date, zone: string): Message {
  return message(
    [
      `Meet your buddy, ${buddyName}. They've been where you are, and they'll help you settle in over the next few weeks (until ${day(plannedEnd, zone)}).`,
      `You can message ${buddyName} any time, day or night, with /buddy.`,
      `One question: if you ever tell me about a lapse, may I let ${buddyName} know? They'd hear only that it's been a hard day and to look in on you, never your answers. You can change this later with /buddy-consent.`,
    ].join("\n\n"),
    {
      title: "Your buddy",
      buttons: [
        [
          { actionId: "bud:share:on", label: label(`Yes, tell ${buddyName}`) },
          { actionId: "bud:share:off", label: "No, keep it private" },
        ],
      ],
    },
  );
}

export function introForBuddy(newcomerName: string, plannedEnd: Date, zone: string): Message {
  return message(
    [
      `You're ${newcomerName}'s buddy until ${day(plannedEnd, zone)}. Thank you. A short checklist:`,
      `• Introduce ${newcomerName} to others in the house`,
      "• Show them the meeting list",
      "• Check in on them once a day",
      `You won't see their check-in answers. If they miss one, I'll ask you to look in. Message them with /buddy.`,
    ].join("\n"),
    { title: "You're a buddy" },
  );
}

export function pingMessage(fromName: string, fromIsNewcomer: boolean, text: string | null, pingId: string): Message {
  return message(text ?? `No message, just a nudge: ${fromName} would like to hear from you.`, {
    title: fromIsNewcomer ? `${fromName}, your newcomer, would like to talk` : `${fromName}, your buddy, sent you a message`,
    buttons: [
      [
        { actionId: `bud:re:${pingId}:way`, label: "On my way", style: "primary" },
        { actionId: `bud:re:${pingId}:call`, label: "Call me" },
        { actionId: `bud:re:${pingId}:later`, label: "Talk later" },
      ],
    ],
  });
}

export function pingAnswerMessage(answererName: string, answer: PingAnswer): Message {
  const text = {
    way: `${answererName} is on their way.`,
    call: `${answererName} asks you to give them a call.`,
    later: `${answererName} can't talk just now and will get back to you later. If you need someone sooner, a counsellor is there for you, or type /sos.`,
  }[answer];
  return message(text, { title: `${answererName} answered` });
}

export function pingAnsweredNote(answer: PingAnswer, toName: string): Message {
  const said = { way: "you're on your way", call: "to call you", later: "you'll talk later" }[answer];
  return message(`I've told ${toName} ${said}.`);
}

export function pingLimitedText(otherName: string, retryAt: Date, zone: string): string {
  return `You've sent ${otherName} a few messages in the last half hour, so I'm holding this one to avoid a flood. You can send another from ${time(retryAt, zone)}. If you need help now, type /sos.`;
}

export function lapseNoteForBuddy(newcomerName: string): Message {
  return message(
    `${newcomerName} has had a lapse, and they wanted you to know. There are no details, and none are needed: a kind word and some time together help most. Their counsellor knows too.`,
    { title: `About ${newcomerName}` },
  );
}

export type EndKind = "completed" | "unpaired" | "newcomer_left" | "buddy_left" | "role_revoked";

/** What the buddy hears when a pairing ends; never the counsellor's reason. */
export function endNoteForBuddy(kind: Exclude<EndKind, "buddy_left">, newcomerName: string, pairingDays: number): Message {
  const text = {
    completed: `Your ${pairingDays} days as ${newcomerName}'s buddy are complete. Thank you for helping them settle in: it makes a real difference.`,
    unpaired: `Your time as ${newcomerName}'s buddy has ended. Thank you for the time you gave them. Your counsellor can tell you more.`,
    newcomer_left: `${newcomerName} is no longer staying at the house, so your time as their buddy has ended. Thank you for looking out for them.`,
    role_revoked: `Your time as ${newcomerName}'s buddy has ended along with your peer role. Thank you for the time you gave them.`,
  }[kind];
  return message(text, { title: "Thank you" });
}

export function endNoteForNewcomer(kind: Exclude<EndKind, "newcomer_left">, buddyName: string, newBuddyComing: boolean): Message {
  const next = newBuddyComing ? " A counsellor will introduce you to a new buddy soon." : "";
  const text = {
    completed: `Your first weeks with ${buddyName} as your buddy are complete. They're still around, and a counsellor is always there for you.`,
    unpaired: `${buddyName} won't be your buddy any more.${next}`,
    buddy_left: `${buddyName} is no longer staying at the house, so they can't be your buddy any more.${next}`,
    role_revoked: `${buddyName} won't be your buddy any more.${next}`,
  }[kind];
  return message(text, { title: "Your buddy" });
}

export function roleChangeMessage(from: PeerRole, to: PeerRole, actorName: string, seniorCapacity: number): Message {
  if (to === "senior_peer") {
    return message(
      `${actorName} has made you a senior peer. It reflects the trust you've built here. You may buddy up to ${seniorCapacity} newcomers, and you may be asked to look in on a resident who has missed a check-in. You'll never see anyone's answers.`,
      { title: "A new role" },
    );
  }
  if (to === "buddy_eligible" && from === "none") {
    return message(
      `${actorName} has asked you to be a buddy: someone who helps a newcomer settle in during their first weeks. It reflects the trust you've built here. When you're paired with someone, I'll introduce you both and send a short checklist.`,
      { title: "A new role" },
    );
  }
  if (to === "buddy_eligible") {
    return message(
      "Your role has changed: you're a buddy now rather than a senior peer. Thank you for all you've given as a senior peer. Your counsellor can talk it through with you.",
      { title: "Your role" },
    );
  }
  return message(
    "Your peer role has ended for now. It isn't a judgement of you or your recovery, and your counsellor can talk it through with you. Thank you for what you've given to others here.",
    { title: "Your role" },
  );
}

export function farewellMessage(houseName: string): Message {
  return message(
    `Your time with ${houseName} has ended, so your check-ins and reminders have stopped. Thank you for the part you played here, and take good care of yourself.`,
  );
}

export function shareLapseSavedText(share: boolean, buddyName: string | null): string {
  const who = buddyName ?? "your buddy";
  return share
    ? `Thank you. If you tell me about a lapse, I'll let ${who} know it's been a hard day, never your answers. Change it any time with /buddy-consent off.`
    : `Understood. A lapse stays between you and the counsellors; ${who} won't be told. Change it any time with /buddy-consent on.`;
}
