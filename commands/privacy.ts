import { z } from "zod";
import { reply, update } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import type { BotAction } from "./define.ts";
import { command } from "./define.ts";

const say = (text: string) => [reply(message(text, { ephemeral: true }))];

export const privacyCommand = command({
  name: "privacy",
  description: "What the bot keeps about you; export it, stop, or erase it",
  access: ["resident", "counsellor", "admin"],
  openToDischarged: true,
  options: z.object({
    action: opt.choice("show, export, withdraw or delete", ["show", "export", "withdraw", "delete"] as const).optional(),
  }),
  examples: ["/privacy", "/privacy export", "/privacy withdraw"],
  async run(ctx, input) {
    const member = ctx.member;
    if (!member) return [];
    const privacy = ctx.services.privacy;
    switch (input.action ?? "show") {
      case "show":
        return [reply(await privacy.show(member.id))];
      case "export": {
        const data = await privacy.exportFor(member.id);
        return [
          reply(
            message("Here is everything the bot keeps about you, as a JSON file. Only you received it.", {
              ephemeral: true,
              attachments: [
                {
                  filename: "my-checkin-data.json",
                  contentType: "application/json",
                  base64: Buffer.from(JSON.stringify(data, null, 2)).toString("base64"),
                },
              ],
            }),
          ),
        ];
      }
      case "withdraw":
        if (member.role !== "resident")
          return say("Check-ins are only kept for residents, so there is nothing to withdraw. Ask an admin about your staff role.");
        await privacy.withdraw(member.id);
        return [
          reply(
            message(
              "Done: no more check-ins, reminders or nudges. Your history is kept unless you want it erased. You can come back any time with /checkin.",
              {
                ephemeral: true,
                buttons: [[{ actionId: "priv:ask-delete", label: "Erase my data too", style: "danger" }]],
              },
            ),
          ),
        ];
      case "delete":
        if (member.role !== "resident")
          return say("Check-ins are only kept for residents, so there is nothing to erase. Ask an admin about your staff record.");
        return [reply(confirmDelete())];
    }
  },
});

function confirmDelete() {
  return message(
    "This erases your check-in answers, notes, sobriety history, absences, meetings and alerts about you. It cannot be undone. The house keeps only your name and role, and a record that the erasure happened.",
    {
      title: "Erase your data?",
      ephemeral: true,
      buttons: [
        [
          { actionId: "priv:delete", label: "Yes, erase it", style: "danger" },
          { actionId: "priv:keep", label: "No, keep it" },
        ],
      ],
    },
  );
}

export const privacyAction: BotAction = {
  prefix: "priv",
  access: ["resident"],
  openToDischarged: true,
  async run(ctx, parts) {
    const member = ctx.member;
    if (!member) return [];
    switch (parts[1]) {
      case "ask-delete":
        return [update(confirmDelete())];
      case "delete": {
        // Erasing also stops everything: nothing may be scheduled on data that is gone.
        await ctx.services.privacy.withdraw(member.id);
        await ctx.services.privacy.erase(member.id, member.id);
        return [update(message("Your data has been erased. Take care of yourself."))];
      }
      default:
        return [update(message("Nothing was erased."))];
    }
  },
};

export const reportCommand = command({
  name: "report",
  description: "Staff reports: the house digest now (default), export (CSV of check-ins) or audit (who saw what)",
  access: ["counsellor", "admin"],
  options: z.object({
    kind: opt.choice("digest, export or audit", ["digest", "export", "audit"] as const).optional(),
    days: opt.integer("How many days back (export)", 1, 365).optional(),
  }),
  examples: ["/report", "/report export 28", "/report audit"],
  async run(ctx, input) {
    const house = ctx.house;
    const member = ctx.member;
    if (!house || !member) return [];
    if ((input.kind ?? "digest") === "digest") {
      const digest = await ctx.services.reports.digestNow(house.id, member.id);
      return digest ? [reply(digest)] : say("The digest is for the house's counsellors.");
    }
    if (input.kind === "audit") {
      if (member.role !== "admin") return say("The audit log is for house admins.");
      const entries = await ctx.services.privacy.auditReport(house.id);
      const lines = entries.map(
        (e) => `${e.at.toISOString().slice(0, 16).replace("T", " ")}  ${e.actor}: ${e.action}${e.subject ? ` (${e.subject})` : ""}`,
      );
      return [
        reply(message(lines.length ? lines.join("\n") : "Nothing recorded yet.", { title: "Audit log, newest first", ephemeral: true })),
      ];
    }
    const csv = await ctx.services.privacy.houseCsv(house.id, member.id, input.days ?? 28);
    return [
      reply(
        message("Check-ins for the house as CSV (no notes). This export is recorded in the audit log.", {
          ephemeral: true,
          attachments: [
            {
              filename: `checkins-${house.name.replace(/[^\w-]+/g, "-")}.csv`,
              contentType: "text/csv",
              base64: Buffer.from(csv).toString("base64"),
            },
          ],
        }),
      ),
    ];
  },
});
