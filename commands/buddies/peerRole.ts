import { DateTime } from "luxon";
import { z } from "zod";
import { reply } from "../../src/core/command.ts";
import { message } from "../../src/core/message.ts";
import { opt } from "../../src/core/options.ts";
import type { PeerRole } from "../../src/generated/prisma/enums.ts";
import { ROLE_LABELS } from "../../src/services/buddies/messages.ts";
import { command } from "../define.ts";
import { say, targetRefusal } from "./say.ts";

const ROLES = { "senior-peer": "senior_peer", buddy: "buddy_eligible", none: "none" } as const satisfies Record<string, PeerRole>;

function roleSentence(name: string, role: PeerRole, already: boolean): string {
  if (role === "none") return already ? `${name} doesn't hold a peer role.` : `${name} no longer holds a peer role.`;
  return `${name} is ${already ? "already" : "now"} a ${ROLE_LABELS[role]}.`;
}

export const peerRoleCommand = command({
  name: "peer-role",
  description: "Grant or revoke the buddy and senior peer roles, or see someone's role history (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({
    user: opt.user("The resident"),
    role: opt.choice("senior-peer, buddy or none", ["senior-peer", "buddy", "none"] as const).optional(),
    reason: opt.text("Why (kept in the role history for counsellors)", 300, true).optional(),
  }),
  examples: ["/peer-role @ben buddy steady for 3 months", "/peer-role @ben none needs some time for themselves", "/peer-role @ben"],
  async run(ctx, input) {
    if (!ctx.house || !ctx.member) return [];
    const buddies = ctx.services.buddies;
    if (input.role === undefined) {
      const history = await buddies.peerRoleHistory(ctx.house.id, input.user);
      if (history.outcome === "refused") return say(targetRefusal(history.reason));
      const when = (at: Date) => DateTime.fromJSDate(at, { zone: history.zone }).toFormat("d LLL yyyy");
      return [
        reply(
          message(
            history.grants.length ? `Now: ${ROLE_LABELS[history.role]}.` : `Now: ${ROLE_LABELS[history.role]}. No grants recorded yet.`,
            {
              title: `${history.name}: peer role`,
              fields: history.grants.map((g) => ({
                label: `${when(g.at)}: ${ROLE_LABELS[g.role]}`,
                value: [
                  `by ${g.grantedBy ?? "someone"}: ${g.reason}`,
                  g.revokedAt ? `ended ${when(g.revokedAt)} by ${g.revokedBy ?? "someone"}: ${g.revokeReason ?? ""}` : null,
                ]
                  .filter((line): line is string => line !== null)
                  .join("\n"),
              })),
              ephemeral: true,
            },
          ),
        ),
      ];
    }
    if (input.reason === undefined) return say("Please add a reason: it is kept in the role history. Nothing was changed.");
    const role = ROLES[input.role];
    const result = await buddies.setPeerRole(ctx.member.id, ctx.house.id, input.user, role, input.reason);
    switch (result.outcome) {
      case "refused":
        return say(targetRefusal(result.reason));
      case "unchanged":
        return say(roleSentence(result.name, result.role, true));
      case "changed": {
        const ended = result.endedFor.length
          ? `\nThey were buddy to ${result.endedFor.join(", ")}: that has ended, and I'll propose a new buddy where one is needed.`
          : "";
        return say(`${roleSentence(result.name, result.to, false)} I've let them know kindly.${ended}`);
      }
    }
  },
});
