import { type Reply, reply } from "../../src/core/command.ts";
import { message } from "../../src/core/message.ts";
import type { Lookup } from "../../src/services/meetings/lookup.ts";
import { meetingRef } from "../../src/services/meetings/lookup.ts";

export const say = (text: string): Reply[] => [reply(message(text, { ephemeral: true }))];

/** What to say when a typed meeting name finds none, or more than one. */
export function lookupProblem(result: Exclude<Lookup, { outcome: "found" }>, typed: string): Reply[] {
  if (result.outcome === "ambiguous") {
    const names = result.meetings.map((m) => `${meetingRef(m, true)} (${m.name})`).join(", ");
    return say(`More than one meeting is called "${typed.slice(0, 60)}": ${names}. Use one of those names.`);
  }
  return say(`I can't find a meeting called "${typed.slice(0, 60)}". The short names are shown in [brackets] in /meetings.`);
}
