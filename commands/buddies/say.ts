import { reply } from "../../src/core/command.ts";
import { message } from "../../src/core/message.ts";
import type { IneligibleReason } from "../../src/domain/buddies/index.ts";
import { REASON_TEXT } from "../../src/services/buddies/messages.ts";
import type { ProposalOutcome } from "../../src/services/buddies/pairing.ts";
import type { TargetRefusal } from "../../src/services/buddies/targets.ts";

/** Shared wording for the buddy commands' private replies and refusals. */

export const say = (text: string) => [reply(message(text, { ephemeral: true }))];

export function targetRefusal(reason: TargetRefusal, who = "That person"): string {
  return {
    unknown: `${who} isn't a resident of this house that I know. Check the mention; someone new is taken in with /intake first.`,
    bot: `${who} is a bot, not a resident. Nothing was changed.`,
    staff: `${who} is on the staff; this is for residents. Nothing was changed.`,
    discharged: `${who} has been discharged. If they're back, take them in again with /intake.`,
  }[reason];
}

/** "has not been in the programme long enough yet; had a lapse in the last 14 days" */
export function reasonsText(reasons: readonly IneligibleReason[]): string {
  return reasons.map((r) => REASON_TEXT[r]).join("; ");
}

/** What became of a newcomer's buddy proposal, for the counsellor who acted. */
export function proposalSummary(proposal: ProposalOutcome | null): string | null {
  if (!proposal) return null;
  switch (proposal.kind) {
    case "proposed":
      return `Suggested buddies are in your DMs, best match first: ${proposal.names.join(", ")}.`;
    case "auto_confirmed":
      return `${proposal.buddyName} is their buddy: the house confirms the best match automatically. I've introduced them.`;
    case "none":
      return proposal.text;
  }
}
