import type { Form } from "../../src/core/message.ts";
import { FEED_FORMATS, type FeedFormat } from "../../src/domain/meetings/index.ts";
import type { BotForm } from "../define.ts";
import { importReplies } from "./importReplies.ts";
import { say } from "./replies.ts";

/** Modals cap a field at 4,000 characters, so pasting suits a small feed; bigger ones go by web address. */
const PASTE_LIMIT = 4000;

export function importFeedForm(format: FeedFormat | "auto"): Form {
  return {
    formId: `mtgimport:${format}`,
    title: "Import meetings",
    fields: [
      {
        id: "feed",
        label: "Paste the feed's JSON",
        style: "paragraph",
        required: true,
        maxLength: PASTE_LIMIT,
        placeholder: '[{"name": "…", "slug": "…", "day": 1, "time": "19:00"}]',
      },
    ],
    submitLabel: "Import",
  };
}

export const importFeedSubmit: BotForm = {
  prefix: "mtgimport",
  access: ["counsellor", "admin"],
  async run(ctx, parts, values) {
    if (!ctx.member || !ctx.house) return [];
    const format = FEED_FORMATS.find((f) => f === parts[1]) ?? "auto";
    const text = values.feed ?? "";
    if (!text.trim()) return say("The form was empty, so nothing was imported.");
    if (text.length > PASTE_LIMIT)
      return say(`A pasted feed can be up to ${PASTE_LIMIT} characters; give a larger one by its web address.`);
    return importReplies(await ctx.services.meetings.importFeed(ctx.house.id, ctx.member.id, { source: { kind: "text", text }, format }));
  },
};
