import { describe, expect, it } from "vitest";
import {
  DISCORD_LIMITS,
  escapeText,
  renderContent,
  renderEdit,
  renderMessage,
  renderModal,
  splitContent,
} from "../../../src/adapters/discord/render.ts";
import { type Button, MessageShapeError, message } from "../../../src/core/message.ts";

const ZWSP = "\u200b";

describe("escaping what people wrote", () => {
  it("shows markdown characters literally instead of formatting", () => {
    expect(escapeText("**bold** _it_ `code` ~~gone~~ ||spoiler||")).toBe(
      "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~ \\|\\|spoiler\\|\\|",
    );
  });

  it("defuses line-leading markdown: headings, lists, quotes and subtext", () => {
    expect(escapeText("# big\n- item\n1. first\n> quoted\n-# small")).toBe("\\# big\n\\- item\n1\\. first\n\\> quoted\n\\-# small");
  });

  it("keeps a masked link from hiding where it goes", () => {
    expect(escapeText("[click](https://example.com)")).toBe("\\[click](https://example.com)");
  });

  it("escapes a resident's own backslash so it cannot undo ours", () => {
    expect(escapeText("\\*not bold\\*")).toBe("\\\\\\*not bold\\\\\\*");
  });

  it("breaks every kind of mention with a zero-width space", () => {
    expect(escapeText("@everyone @here <@123> <@!123> <@&456> <#789>")).toBe(
      `@${ZWSP}everyone @${ZWSP}here <${ZWSP}@123> <${ZWSP}@!123> <${ZWSP}@&456> <${ZWSP}#789>`,
    );
  });
});

describe("a message on Discord", () => {
  it("puts the title in bold, then the text, then one line per field, all escaped", () => {
    const content = renderContent(
      message("Sam reported a craving of 8.", { title: "Check-in *alert*", fields: [{ label: "Since", value: "09:00 @here" }] }),
    );
    expect(content).toBe(`**Check-in \\*alert\\***\nSam reported a craving of 8.\n**Since:** 09:00 @${ZWSP}here`);
  });

  it("never lets a message mention anyone, and marks private replies ephemeral", () => {
    const [payload] = renderMessage(message("Hello"), { ephemeral: true });
    expect(payload).toMatchObject({ content: "Hello", flags: 64, allowed_mentions: { parse: [], replied_user: false }, files: [] });
    expect(renderMessage(message("Hello"))[0]?.flags).toBe(0);
  });

  it("turns button rows into action rows with Discord's styles, and the select into a row of its own", () => {
    const [payload] = renderMessage(
      message("How are you?", {
        buttons: [
          [
            { actionId: "a:1", label: "Good", style: "success" },
            { actionId: "a:2", label: "Help now", style: "danger" },
          ],
        ],
        select: { actionId: "m:pick", placeholder: "Meeting", options: [{ value: "v1", label: "Tuesday", description: "7pm" }] },
      }),
    );
    expect(payload?.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, custom_id: "a:1", label: "Good", style: 3 },
          { type: 2, custom_id: "a:2", label: "Help now", style: 4 },
        ],
      },
      {
        type: 1,
        components: [
          { type: 3, custom_id: "m:pick", placeholder: "Meeting", options: [{ value: "v1", label: "Tuesday", description: "7pm" }] },
        ],
      },
    ]);
  });

  it("shortens a long button label, but refuses an action id Discord would reject rather than cutting it", () => {
    const long: Button = { actionId: "x:1", label: "L".repeat(120) };
    const [payload] = renderMessage({ text: "t", buttons: [[long]] });
    const button = payload?.components[0]?.components[0] as { label: string };
    expect(button.label).toHaveLength(DISCORD_LIMITS.buttonLabel);
    expect(() => renderMessage({ text: "t", buttons: [[{ actionId: "x".repeat(101), label: "L" }]] })).toThrow(MessageShapeError);
  });

  it("sends an image as a file with its alt text as the description", () => {
    const [payload] = renderMessage(
      message("Your week", {
        attachments: [
          { filename: "my week.png", contentType: "image/png", base64: Buffer.from("PNG").toString("base64"), altText: "Mood chart" },
        ],
      }),
    );
    expect(payload?.files).toEqual([{ name: "my_week.png", data: Buffer.from("PNG"), contentType: "image/png" }]);
    expect(payload?.attachments).toEqual([{ id: 0, filename: "my_week.png", description: "Mood chart" }]);
  });
});

describe("Discord's 2,000 characters", () => {
  it("continues long text in further messages, split at line breaks, with buttons on the last", () => {
    const text = Array.from({ length: 120 }, (_, i) => `Line ${i} of the meeting list, with details.`).join("\n");
    const parts = renderMessage(message(text, { buttons: [[{ actionId: "ok", label: "OK" }]] }));
    expect(parts.length).toBe(3);
    expect(parts.every((p) => p.content.length <= DISCORD_LIMITS.content)).toBe(true);
    expect(parts.map((p) => p.components.length)).toEqual([0, 0, 1]);
    expect(parts.map((p) => p.content).join("\n")).toBe(text);
  });

  it("cuts text beyond four messages with an ellipsis rather than flooding a DM", () => {
    const parts = renderMessage(message("word ".repeat(3000)));
    expect(parts).toHaveLength(DISCORD_LIMITS.parts);
    expect(parts.at(-1)?.content.endsWith("…")).toBe(true);
  });

  it("never ends a piece on a lone backslash, which would escape the next piece's first character", () => {
    const pieces = splitContent(`${"a".repeat(1999)}\\*rest`, 2000);
    expect(pieces[0]?.endsWith("\\")).toBe(false);
    expect(pieces.join("")).toBe(`${"a".repeat(1999)}\\*rest`);
  });

  it("an edit replaces one message, so it is cut to fit, keeps the original's flags, and clears old buttons", () => {
    const edit = renderEdit(message("x".repeat(2500)));
    expect(edit.content).toHaveLength(2000);
    expect(edit.content.endsWith("…")).toBe(true);
    expect(edit.components).toEqual([]);
    expect(edit.attachments).toBeUndefined();
  });
});

describe("a form as a modal", () => {
  it("shows each field as a labelled text input", () => {
    const modal = renderModal({
      formId: "checkin:note:abc",
      title: "Anything to add?",
      fields: [
        {
          id: "note",
          label: "Your note",
          style: "paragraph",
          required: false,
          maxLength: 1000,
          placeholder: "Only your counsellor sees this",
        },
        { id: "craving", label: "Craving, 0-10", style: "short", required: true, initial: "3" },
      ],
    });
    expect(modal).toEqual({
      custom_id: "checkin:note:abc",
      title: "Anything to add?",
      components: [
        {
          type: 18,
          label: "Your note",
          component: {
            type: 4,
            custom_id: "note",
            style: 2,
            required: false,
            max_length: 1000,
            placeholder: "Only your counsellor sees this",
          },
        },
        {
          type: 18,
          label: "Craving, 0-10",
          component: { type: 4, custom_id: "craving", style: 1, required: true, max_length: 4000, value: "3" },
        },
      ],
    });
  });

  it("refuses more than five inputs: longer forms must be paged by the service", () => {
    const fields = Array.from({ length: 6 }, (_, i) => ({ id: `f${i}`, label: `Q${i}`, style: "short" as const, required: false }));
    expect(() => renderModal({ formId: "f", title: "Too long", fields })).toThrow(MessageShapeError);
  });
});
