import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  escapeMrkdwn,
  fallbackText,
  renderBlocks,
  renderForm,
  renderHome,
  renderMessage,
  SLACK_LIMITS,
  splitForSections,
  toMrkdwn,
} from "../../../src/adapters/slack/render.ts";
import { type Form, type Message, message } from "../../../src/core/message.ts";

type AnyBlock = {
  type: string;
  block_id?: string;
  text?: { type: string; text: string; verbatim?: boolean };
  fields?: Array<{ type: string; text: string }>;
  elements?: Array<Record<string, unknown>>;
};
const blocksOf = (m: Message, max?: number) => renderBlocks(m, max) as unknown as AnyBlock[];
const sectionTexts = (blocks: AnyBlock[]) => blocks.filter((b) => b.type === "section" && b.text).map((b) => b.text?.text ?? "");

describe("resident text cannot ping, link or format its way out", () => {
  it("mentions and special commands become plain characters", () => {
    expect(escapeMrkdwn("<!channel> <!here> <@U123> <#C1|x> a & b")).toBe(
      "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C1|x&gt; a &amp; b",
    );
  });

  it("sections are escaped mrkdwn marked verbatim, so Slack adds no links or mentions of its own", () => {
    const [section] = blocksOf(message("<!channel> I need help"));
    expect(section?.text).toEqual({ type: "mrkdwn", text: "&lt;!channel&gt; I need help", verbatim: true });
  });

  it("the notification fallback is escaped too, because Slack parses it for mentions", () => {
    expect(fallbackText(message("<!here> now", { title: "Sam <b>" }))).toBe("Sam &lt;b&gt;\n&lt;!here&gt; now");
  });

  it("web addresses stay clickable, without the punctuation after them", () => {
    expect(toMrkdwn("Join https://zoom.us/j/123?pwd=a&b=c. Or call.")).toBe("Join <https://zoom.us/j/123?pwd=a&amp;b=c>. Or call.");
  });

  it("a crafted address cannot smuggle a link label or a mention", () => {
    expect(toMrkdwn("https://x.org|<!channel>")).toBe("<https://x.org>|&lt;!channel&gt;");
  });
});

describe("a message as Block Kit", () => {
  it("the title is a header, the text a section, fields a two-column section", () => {
    const blocks = blocksOf(
      message("Sam has missed two check-ins.", {
        title: "Sam needs attention",
        fields: [
          { label: "Since", value: "Mon 4 Jan" },
          { label: "Buddy", value: "Jo <jo@x>" },
        ],
      }),
    );
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "section"]);
    expect(blocks[0]?.text).toMatchObject({ type: "plain_text", text: "Sam needs attention" });
    expect(blocks[2]?.fields?.map((f) => f.text)).toEqual(["*Since*\nMon 4 Jan", "*Buddy*\nJo &lt;jo@x&gt;"]);
  });

  it("more than ten fields continue in another section", () => {
    const fields = Array.from({ length: 13 }, (_, i) => ({ label: `L${i}`, value: `v${i}` }));
    const sections = blocksOf(message("x", { fields })).filter((b) => b.fields);
    expect(sections.map((s) => s.fields?.length)).toEqual([10, 3]);
  });

  it("each button row is an actions block; Slack's two accents carry our styles", () => {
    const blocks = blocksOf(
      message("How is today?", {
        buttons: [
          [
            { actionId: "ci:f:1:steady", label: "Sober and steady", style: "success" },
            { actionId: "ci:f:1:struggling", label: "Struggling" },
          ],
          [{ actionId: "ci:f:1:help", label: "I need help now", style: "danger" }],
        ],
      }),
    );
    const rows = blocks.filter((b) => b.type === "actions");
    expect(rows.map((r) => r.block_id)).toEqual(["buttons-0", "buttons-1"]);
    expect(rows[0]?.elements).toEqual([
      { type: "button", action_id: "ci:f:1:steady", text: { type: "plain_text", text: "Sober and steady", emoji: true }, style: "primary" },
      { type: "button", action_id: "ci:f:1:struggling", text: { type: "plain_text", text: "Struggling", emoji: true } },
    ]);
    expect(rows[1]?.elements?.[0]?.style).toBe("danger");
  });

  it("a long button label is cut to Slack's 75 characters, marked as cut", () => {
    const [row] = blocksOf(message("x", { buttons: [[{ actionId: "a", label: "y".repeat(80) }]] })).filter((b) => b.type === "actions");
    const text = (row?.elements?.[0]?.text as { text: string }).text;
    expect(text).toHaveLength(75);
    expect(text.endsWith("…")).toBe(true);
  });

  it("a select menu is a static select with its options", () => {
    const [menu] = blocksOf(
      message("Pick one", {
        select: {
          actionId: "meet:pick",
          placeholder: "Choose a meeting",
          options: [{ value: "m1", label: "Monday 7pm", description: "Church hall" }],
        },
      }),
    ).filter((b) => b.type === "actions");
    expect(menu?.elements?.[0]).toEqual({
      type: "static_select",
      action_id: "meet:pick",
      placeholder: { type: "plain_text", text: "Choose a meeting", emoji: true },
      options: [
        {
          text: { type: "plain_text", text: "Monday 7pm", emoji: true },
          value: "m1",
          description: { type: "plain_text", text: "Church hall", emoji: true },
        },
      ],
    });
  });

  it("long text is split across sections at line ends, losing nothing", () => {
    const paragraph = `${"word ".repeat(150).trim()}\n`;
    const text = paragraph.repeat(8);
    const sections = sectionTexts(blocksOf(message(text)));
    expect(sections.length).toBeGreaterThan(1);
    for (const section of sections) expect(section.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(sections.join("\n")).toBe(text.trimEnd());
  });

  it("any text, however long or full of & < >, stays within Slack's block and section limits", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", " ", "\n", "&", "<", ">", "é", "h", "t", "p", ":", "/"), maxLength: 20_000 }),
        (text) => {
          const blocks = blocksOf(message(text, { title: "t", buttons: [[{ actionId: "a", label: "b" }]] }));
          expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocks);
          for (const section of sectionTexts(blocks)) expect(section.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
          expect(blocks.at(-1)?.type).toBe("actions");
        },
      ),
      { numRuns: 60 },
    );
  });

  it("when text would need more than 50 blocks, the buttons are kept and the text is cut, visibly", () => {
    const blocks = blocksOf(message("&".repeat(200_000), { buttons: [[{ actionId: "a", label: "OK" }]] }));
    expect(blocks).toHaveLength(SLACK_LIMITS.messageBlocks);
    expect(blocks.at(-1)?.type).toBe("actions");
    expect(sectionTexts(blocks).at(-1)?.endsWith("…")).toBe(true);
  });

  it("splitting never breaks an escape in two", () => {
    for (const chunk of splitForSections("&<>".repeat(3000))) {
      expect(toMrkdwn(chunk).length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
  });

  it("renderMessage pairs the fallback with the blocks; the Home tab gets a home view", () => {
    const rendered = renderMessage(message("Hello", { title: "Hi Sam" }));
    expect(rendered.text).toBe("Hi Sam\nHello");
    expect(rendered.blocks).toHaveLength(2);
    expect(renderHome(message("Hello")).type).toBe("home");
  });
});

describe("a form as a modal", () => {
  const form: Form = {
    formId: "cinote:abc",
    title: "A rather long form title here",
    fields: [
      { id: "note", label: "Your note", style: "paragraph", required: true, maxLength: 1000, placeholder: "How the day went" },
      { id: "mood", label: "Mood", style: "short", required: false, initial: "3" },
    ],
  };

  it("routes back by callback id, with field ids as block and action ids", () => {
    const view = renderForm(form, '{"c":"D1"}');
    expect(view).toMatchObject({
      type: "modal",
      callback_id: "cinote:abc",
      private_metadata: '{"c":"D1"}',
      submit: { type: "plain_text", text: "Send" },
      close: { type: "plain_text", text: "Cancel" },
    });
    expect(view.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.modalTitle);
    expect(view.blocks).toEqual([
      {
        type: "input",
        block_id: "note",
        optional: false,
        label: { type: "plain_text", text: "Your note", emoji: true },
        element: {
          type: "plain_text_input",
          action_id: "note",
          multiline: true,
          max_length: 1000,
          placeholder: { type: "plain_text", text: "How the day went", emoji: true },
        },
      },
      {
        type: "input",
        block_id: "mood",
        optional: true,
        label: { type: "plain_text", text: "Mood", emoji: true },
        element: { type: "plain_text_input", action_id: "mood", multiline: false, initial_value: "3" },
      },
    ]);
  });
});
