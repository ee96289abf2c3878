import { z } from "zod";
import { openForm, type Reply, reply } from "../../src/core/command.ts";
import { LIMITS, message, truncate } from "../../src/core/message.ts";
import { opt } from "../../src/core/options.ts";
import { FELLOWSHIPS, kindText, placeText, scheduleText } from "../../src/domain/meetings/index.ts";
import type { Meeting } from "../../src/generated/prisma/client.ts";
import type { AdminResult } from "../../src/services/meetings/admin.ts";
import type { FeedSource } from "../../src/services/meetings/importFeed.ts";
import { meetingRef } from "../../src/services/meetings/lookup.ts";
import { command } from "../define.ts";
import { importFeedForm } from "./importForm.ts";
import { importReplies } from "./importReplies.ts";
import { lookupProblem, say } from "./replies.ts";

const ACTIONS = ["add", "edit", "remove", "restore", "import", "list"] as const;

function describe(meeting: Meeting): string {
  return [
    `${meeting.name} [${meetingRef(meeting)}]${meeting.required ? " · required for residents" : ""}`,
    scheduleText(meeting),
    kindText(meeting),
    placeText(meeting),
  ].join("\n");
}

function adminReplies(result: AdminResult, typed: string, done: (meeting: Meeting) => string): Reply[] {
  if (result.outcome === "invalid") return say(`That didn't work: ${result.reason}.`);
  if (result.outcome !== "saved") return lookupProblem(result, typed);
  return say(done(result.meeting));
}

/** A feed named in the command: a web address, a file on the console's machine, or JSON typed inline. */
function feedSource(text: string, platform: string): FeedSource | string {
  const value = text.trim();
  if (/^https?:\/\//i.test(value)) return { kind: "url", url: value };
  if (value.startsWith("[") || value.startsWith("{")) return { kind: "text", text: value };
  // Reading a path is only safe where the person typing it is the one running the bot.
  if (platform === "console") return { kind: "file", path: value };
  return "give the feed's web address (https://…), or leave it out to paste the feed into a form";
}

const FEED_EDIT_NOTE =
  " It came from an imported feed, so the next import of that feed will overwrite these details (not whether it's required).";

export const meetingAdminCommand = command({
  name: "meeting-admin",
  description: "Add, edit, remove or import the house's meetings (counsellors)",
  access: ["counsellor", "admin"],
  options: z.object({
    action: opt.choice("add, edit, remove, restore, import or list", ACTIONS),
    meeting: opt.text("add: the new name; edit/remove: its short name; import: the feed's web address", 500, true).optional(),
    name: opt.text("A new name (edit)", 200).optional(),
    days: opt.text("Days, like mon,thu or weekdays or daily", 80).optional(),
    time: opt.time("Start time, 24-hour, like 19:30").optional(),
    duration: opt.integer("Length in minutes", 5, 720).optional(),
    fellowship: opt.choice("AA, NA, CA, SMART, in_house or other", FELLOWSHIPS).optional(),
    required: opt.boolean("Required for every resident? yes or no").optional(),
    place: opt.text("Where: a building or room (- clears it)", 200).optional(),
    address: opt.text("Street address (- clears it)", 300).optional(),
    link: opt.text("Video link, https://… (- clears it)", 500).optional(),
    phone: opt.text("Dial-in number (- clears it)", 60).optional(),
    timezone: opt.timezone("Time zone, when not the house's").optional(),
    types: opt.text("Meeting Guide type codes, like O,SP,BE", 120).optional(),
    notes: opt.text("Notes for residents (- clears them)", 1000).optional(),
    format: opt.choice("Feed format for import", ["auto", "meeting_guide", "bmlt"] as const).optional(),
  }),
  examples: [
    '/meeting-admin add Tuesday house group days:tue time:18:00 required:yes "place:Group room"',
    "/meeting-admin edit tuesday-house-group time:18:30",
    "/meeting-admin import https://intergroup.example.org/wp-admin/admin-ajax.php?action=meetings",
    "/meeting-admin import format:bmlt https://bmlt.example.org/main_server/client_interface/json/?switcher=GetSearchResults",
    "/meeting-admin remove tuesday-house-group",
  ],
  async run(ctx, input) {
    const member = ctx.member;
    const house = ctx.house;
    if (!member || !house) return [];
    const admin = ctx.services.meetings.admin;
    const typed = input.meeting ?? "";
    const { action, meeting: _meeting, format, ...fields } = input;
    switch (action) {
      case "list": {
        const all = await admin.list(house.id);
        if (all.length === 0) return say("No meetings yet. Add one with /meeting-admin add, or import a feed with /meeting-admin import.");
        const lines = all.map(
          ({ meeting, followers }) =>
            `• ${meeting.active ? "" : "(removed) "}${meeting.name} [${meetingRef(meeting)}] · ${scheduleText(meeting)} · ${meeting.source}${meeting.required ? " · required" : ""} · ${followers} following`,
        );
        return [reply(message(truncate(lines.join("\n"), LIMITS.textLength), { title: "The house's meetings", ephemeral: true }))];
      }
      case "add": {
        if (!typed) return say("Give the new meeting a name: /meeting-admin add Tuesday house group days:tue time:18:00");
        const result = await admin.add(house.id, member.id, { ...fields, name: typed });
        return adminReplies(result, typed, (m) => `Added:\n${describe(m)}`);
      }
      case "edit": {
        if (!typed) return say("Say which meeting to edit by its short name, e.g. /meeting-admin edit tuesday-house-group time:18:30");
        if (Object.values(fields).every((v) => v === undefined)) return say("Say what to change, e.g. time:18:30 or required:yes.");
        const result = await admin.edit(house.id, member.id, typed, fields);
        return adminReplies(result, typed, (m) => `Saved:\n${describe(m)}${m.source === "manual" ? "" : FEED_EDIT_NOTE}`);
      }
      case "remove": {
        if (!typed) return say("Say which meeting to remove by its short name.");
        const result = await admin.remove(house.id, member.id, typed);
        return adminReplies(
          result,
          typed,
          (m) =>
            `Removed ${m.name}. Nobody gets reminders for it now; its attendance history is kept. /meeting-admin restore ${meetingRef(m)} brings it back.`,
        );
      }
      case "restore": {
        if (!typed) return say("Say which meeting to restore by its short name.");
        const result = await admin.restore(house.id, member.id, typed);
        return adminReplies(result, typed, (m) => `Restored:\n${describe(m)}`);
      }
      case "import": {
        if (!typed) return [openForm(importFeedForm(format ?? "auto"))];
        const source = feedSource(typed, ctx.actor.platform);
        if (typeof source === "string") return say(`I can't import that: ${source}.`);
        return importReplies(
          await ctx.services.meetings.importFeed(house.id, member.id, { source, format: format ?? "auto", fellowship: fields.fellowship }),
        );
      }
    }
  },
});
