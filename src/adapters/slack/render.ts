import type { types } from "@slack/bolt";
import type { Button, Form, Message, SelectMenu } from "../../core/message.ts";
import { truncate } from "../../core/message.ts";

/**
 * The only place that knows Block Kit. Every string in a neutral Message is plain text, possibly a
 * resident's own words, so it is escaped here and marked `verbatim`: Slack then neither pings
 * anyone (`<!channel>`, `<@U…>`) nor turns channel names into links.
 */

export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  selectPlaceholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputPlaceholder: 150,
  inputLength: 3000,
  /** Notification and screen-reader fallback; Slack allows far more, nobody reads more. */
  fallbackText: 3000,
} as const;

export interface RenderedMessage {
  /** What notifications and old clients show; never markup. */
  text: string;
  blocks: types.KnownBlock[];
}

/** Makes text inert in mrkdwn: no mentions, no links, no channel references. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const URL_PATTERN = /https?:\/\/[^\s<>|"]+/g;

/**
 * Escaped mrkdwn with web addresses kept clickable: `verbatim` turns off Slack's own linking,
 * which would otherwise also link channel names and parse mentions.
 */
export function toMrkdwn(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, "");
    const start = match.index ?? 0;
    out += `${escapeMrkdwn(text.slice(last, start))}<${escapeMrkdwn(url)}>`;
    last = start + url.length;
  }
  return out + escapeMrkdwn(text.slice(last));
}

const plain = (text: string, max: number): types.PlainTextElement => ({ type: "plain_text", text: truncate(text, max), emoji: true });

const mrkdwn = (text: string): types.MrkdwnElement => ({ type: "mrkdwn", text, verbatim: true });

/** The longest cut of `raw` whose rendering fits `max` (escaping can make text longer). */
function fitRendered(raw: string, max: number, render: (s: string) => string): string {
  if (render(raw).length <= max) return render(raw);
  let low = 0;
  let high = raw.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(truncate(raw, mid)).length <= max) low = mid;
    else high = mid - 1;
  }
  return render(truncate(raw, low));
}

/**
 * Splits text into pieces whose mrkdwn fits one section, breaking at line ends, then at spaces,
 * and only inside a word when a single word is longer than a section.
 */
export function splitForSections(text: string, max: number = SLACK_LIMITS.sectionText): string[] {
  const fits = (s: string) => toMrkdwn(s).length <= max;
  const pieces: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (fits(line)) {
      pieces.push(line);
      continue;
    }
    for (const word of line.split(/(?<= )/)) {
      if (fits(word)) {
        pieces.push(word);
        continue;
      }
      // Worst case every character escapes to five (&amp;) or gains link brackets.
      const step = Math.max(1, Math.floor(max / 6));
      for (let i = 0; i < word.length; i += step) pieces.push(word.slice(i, i + step));
    }
  }
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces) {
    if (fits(current + piece)) {
      current += piece;
    } else {
      if (current.trim()) chunks.push(current);
      current = piece;
    }
  }
  if (current.trim()) chunks.push(current);
  return chunks.map((chunk) => chunk.replace(/\n+$/, ""));
}

function buttonElement(button: Button): types.Button {
  const element: types.Button = {
    type: "button",
    action_id: button.actionId,
    text: plain(button.label, SLACK_LIMITS.buttonText),
  };
  // Slack has two accents: green "primary" and red "danger"; the rest look plain.
  if (button.style === "primary" || button.style === "success") element.style = "primary";
  if (button.style === "danger") element.style = "danger";
  return element;
}

function selectElement(select: SelectMenu): types.StaticSelect {
  return {
    type: "static_select",
    action_id: select.actionId,
    placeholder: plain(select.placeholder, SLACK_LIMITS.selectPlaceholder),
    options: select.options.slice(0, SLACK_LIMITS.selectOptions).map((option) => ({
      text: plain(option.label, SLACK_LIMITS.optionText),
      value: option.value.slice(0, SLACK_LIMITS.optionValue),
      ...(option.description ? { description: plain(option.description, SLACK_LIMITS.optionText) } : {}),
    })),
  };
}

/** Title, text, fields, buttons and select menu as blocks, within `maxBlocks`. */
export function renderBlocks(message: Message, maxBlocks: number = SLACK_LIMITS.messageBlocks): types.KnownBlock[] {
  const head: types.KnownBlock[] = [];
  if (message.title?.trim()) head.push({ type: "header", text: plain(message.title, SLACK_LIMITS.headerText) });

  const fieldSections: types.KnownBlock[] = [];
  const fields = message.fields ?? [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.sectionFields) {
    fieldSections.push({
      type: "section",
      fields: fields
        .slice(i, i + SLACK_LIMITS.sectionFields)
        .map((field) =>
          mrkdwn(fitRendered(field.value, SLACK_LIMITS.fieldText, (value) => `*${escapeMrkdwn(field.label)}*\n${toMrkdwn(value)}`)),
        ),
    });
  }

  const controls: types.KnownBlock[] = (message.buttons ?? []).map((row, index) => ({
    type: "actions",
    block_id: `buttons-${index}`,
    elements: row.map(buttonElement),
  }));
  if (message.select) controls.push({ type: "actions", block_id: "select", elements: [selectElement(message.select)] });

  // Controls matter most (they are how people answer), then fields; the body gives way first.
  const reserved = head.length + fieldSections.length + controls.length;
  const room = Math.max(1, maxBlocks - reserved);
  let chunks = splitForSections(message.text);
  if (chunks.length > room) {
    chunks = chunks.slice(0, room);
    const last = chunks.length - 1;
    chunks[last] = `${(chunks[last] ?? "").slice(0, -1)}…`;
  }
  const body: types.KnownBlock[] = chunks.map((chunk) => ({ type: "section", text: mrkdwn(toMrkdwn(chunk)) }));

  return [...head, ...body, ...fieldSections, ...controls].slice(0, maxBlocks);
}

/** Fallback text: escaped like the blocks, because Slack parses it for mentions too. */
export function fallbackText(message: Message): string {
  const whole = message.title ? `${message.title}\n${message.text}` : message.text;
  return fitRendered(whole.trim() || message.title || " ", SLACK_LIMITS.fallbackText, escapeMrkdwn);
}

export function renderMessage(message: Message): RenderedMessage {
  return { text: fallbackText(message), blocks: renderBlocks(message) };
}

export function renderHome(message: Message): types.HomeView {
  return { type: "home", blocks: renderBlocks(message, SLACK_LIMITS.viewBlocks) };
}

/**
 * A form as a modal: block and action ids are the field ids, so a submission maps straight back;
 * `privateMetadata` carries where the form was opened from.
 */
export function renderForm(form: Form, privateMetadata = ""): types.ModalView {
  return {
    type: "modal",
    callback_id: form.formId,
    title: plain(form.title, SLACK_LIMITS.modalTitle),
    submit: plain(form.submitLabel ?? "Send", SLACK_LIMITS.modalButton),
    close: plain("Cancel", SLACK_LIMITS.modalButton),
    private_metadata: privateMetadata.slice(0, SLACK_LIMITS.privateMetadata),
    blocks: form.fields.map((field) => ({
      type: "input",
      block_id: field.id,
      optional: !field.required,
      label: plain(field.label, SLACK_LIMITS.inputLabel),
      element: {
        type: "plain_text_input",
        action_id: field.id,
        multiline: field.style === "paragraph",
        ...(field.maxLength ? { max_length: Math.min(field.maxLength, SLACK_LIMITS.inputLength) } : {}),
        ...(field.placeholder ? { placeholder: plain(field.placeholder, SLACK_LIMITS.inputPlaceholder) } : {}),
        ...(field.initial ? { initial_value: field.initial.slice(0, field.maxLength ?? SLACK_LIMITS.inputLength) } : {}),
      },
    })),
  };
}
