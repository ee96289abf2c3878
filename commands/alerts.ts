import { z } from "zod";
import { openForm, reply, update } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import { findCrisisLanguage } from "../src/domain/alerts/index.ts";
import { formatTime, KIND_LABELS } from "../src/services/alerts/messages.ts";
import { crisisReply } from "./checkinReplies.ts";
import type { BotAction, BotDirectText, BotForm } from "./define.ts";
import { command } from "./define.ts";

const say = (text: string) => [reply(message(text, { ephemeral: true }))];

const REFUSALS = {
  not_found: "That alert doesn't exist.",
  not_allowed: "That alert isn't yours to handle.",
  already_acknowledged: "Someone has already acknowledged that alert.",
  already_resolved: "That alert is already resolved.",
} as const;

function resolveForm(alertId: string) {
  return {
    formId: `alres:${alertId}`,
    title: "Resolve alert",
    fields: [{ id: "outcome", label: "What happened? (kept with the alert)", style: "paragraph" as const, required: true, maxLength: 500 }],
    submitLabel: "Resolve",
  };
}

export const alertsCommand = command({
  name: "alerts",
  description: "Open alerts in the house, with their buttons (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({}),
  async run(ctx) {
    if (!ctx.house) return [];
    const open = await ctx.services.alerts.openAlerts(ctx.house.id);
    if (open.length === 0) return say("No open alerts. Everyone is accounted for.");
    const replies = [];
    for (const alert of open.slice(0, 10)) {
      const found = await ctx.services.alerts.alertMessageFor(alert.id);
      if (found) replies.push(reply({ ...found.message, ephemeral: true }));
    }
    return replies;
  },
});

export const oncallCommand = command({
  name: "oncall",
  description: "Say whether you are on duty for alerts (counsellors and senior peers)",
  // Senior peers may take low-severity nudges (missed check-ins) when on duty; the check is below.
  access: ["resident", "counsellor", "admin"],
  listedFor: ["counsellor", "admin"],
  options: z.object({ state: opt.choice("on or off", ["on", "off"] as const) }),
  async run(ctx, input) {
    if (!ctx.member) return [];
    if (ctx.member.role === "resident" && ctx.member.peerRole !== "senior_peer") {
      return say("/oncall is for counsellors and senior peers.");
    }
    await ctx.services.alerts.setOnDuty(ctx.member.id, input.state === "on");
    if (ctx.member.role === "resident") {
      return say(
        input.state === "on"
          ? "You're on duty: you may be asked to look in on a resident the bot cannot reach. Thank you."
          : "You're off duty. Thank you for helping.",
      );
    }
    return say(
      input.state === "on"
        ? "You're on duty: alerts for the house will reach you."
        : "You're off duty. Alerts for your key residents still reach you.",
    );
  },
});

export const sosCommand = command({
  name: "sos",
  description: "I need help now: shows crisis numbers and tells your counsellor",
  access: ["resident"],
  options: z.object({}),
  async run() {
    // A confirm step, so a slip of the finger does not alert the staff.
    return [
      reply(
        message("Do you want me to tell your counsellor that you need help now?", {
          buttons: [
            [
              { actionId: "sos:confirm", label: "Yes, I need help now", style: "danger" },
              { actionId: "sos:cancel", label: "No, I'm okay" },
            ],
          ],
          ephemeral: true,
        }),
      ),
    ];
  },
});

export const sosAction: BotAction = {
  prefix: "sos",
  access: ["resident"],
  async run(ctx, parts) {
    if (!ctx.member || !ctx.house) return [];
    if (parts[1] !== "confirm") return [update(message("Okay. If that changes, /sos is always here, day or night."))];
    const settings = await ctx.services.houses.settings(ctx.house.id);
    await ctx.services.alerts.raiseSos(ctx.member.id, "sos");
    return [update(crisisReply(ctx.house.country, settings.crisisLines))];
  },
};

export const alertAction: BotAction = {
  prefix: "al",
  access: ["resident", "counsellor", "admin"],
  formFor(parts) {
    return parts[1] === "res" && parts[2] ? resolveForm(parts[2]) : null;
  },
  async run(ctx, parts) {
    const [, verb, alertId] = parts;
    if (!ctx.member || !alertId) return [];
    if (verb === "ack") {
      const result = await ctx.services.alerts.acknowledge(alertId, ctx.member.id);
      if (result.outcome === "refused") return say(REFUSALS[result.reason]);
      const found = await ctx.services.alerts.alertMessageFor(alertId);
      return found ? [update(found.message)] : [];
    }
    if (verb === "res") return [openForm(resolveForm(alertId))];
    if (verb === "note") {
      const found = await ctx.services.alerts.noteFor(alertId, ctx.member.id);
      if (found === "not_allowed") return say(REFUSALS.not_allowed);
      if (found === "none") return say("They didn't leave a note around the time of this alert.");
      return [reply(message(found.note, { title: `Note from ${found.localDate} (counsellors only)`, ephemeral: true }))];
    }
    if (verb === "sum") {
      if (ctx.member.role === "resident") return say(REFUSALS.not_allowed);
      const summary = await ctx.services.reports.summaryForAlert(alertId, ctx.member.id);
      if (summary.outcome === "shown") return [reply(summary.message)];
      return say(REFUSALS[summary.outcome]);
    }
    return [];
  },
};

export const resolveAlertForm: BotForm = {
  prefix: "alres",
  access: ["counsellor", "admin"],
  async run(ctx, parts, values) {
    const alertId = parts[1];
    const outcome = (values.outcome ?? "").trim();
    if (!ctx.member || !alertId) return [];
    if (!outcome) return say("Please say briefly what happened, so the next counsellor knows.");
    if (outcome.length > 500) return say("Please keep the outcome under 500 characters.");
    const result = await ctx.services.alerts.resolve(alertId, ctx.member.id, outcome);
    if (result.outcome === "refused") return say(REFUSALS[result.reason]);
    return say(
      `Resolved. ${KIND_LABELS[result.alert.kind]} alert closed at ${formatTime(result.alert.resolvedAt ?? ctx.clock.now(), ctx.house?.timezone ?? "UTC")}.`,
    );
  },
};

/** Crisis language in any DM: numbers first, then the counsellor is told. Runs before check-in parsing. */
export const crisisText: BotDirectText = {
  name: "crisis-words",
  async run(ctx) {
    if (!ctx.member || !ctx.house || ctx.member.role !== "resident") return null;
    if (!findCrisisLanguage(ctx.event.text).matched) return null;
    const settings = await ctx.services.houses.settings(ctx.house.id);
    // Safety comes before the check-in consent: any resident's crisis reaches a counsellor.
    const told = ctx.member.status !== "discharged";
    if (told) await ctx.services.alerts.raiseSos(ctx.member.id, "crisis_words");
    return [reply(crisisReply(ctx.house.country, settings.crisisLines, told))];
  },
};
