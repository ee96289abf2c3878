import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  MessageFlags,
  type RawFile,
  type RESTAPIAttachment,
  TextInputStyle,
} from "discord.js";
import {
  type Button,
  type Form,
  type Message,
  MessageShapeError,
  type SelectMenu,
  truncate,
  validateForm,
  validateMessage,
} from "../../core/message.ts";

/**
 * The only place that knows Discord's formatting. Everything in a neutral Message is plain text,
 * so all of it is escaped here: resident words can never become markdown, a link or a mention.
 */

export const DISCORD_LIMITS = {
  content: 2000,
  /**
   * A long message is split into at most this many Discord messages; beyond that it is cut with
   * an ellipsis. Neutral messages stop at 3,500 characters, so two parts are the usual worst case.
   */
  parts: 4,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  selectPlaceholder: 150,
  selectOption: 100,
  modalTitle: 45,
  modalInputs: 5,
  inputLabel: 45,
  inputPlaceholder: 100,
  inputValue: 4000,
  altText: 1024,
} as const;

const ZERO_WIDTH_SPACE = "\u200b";

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** A message as Discord's API takes it; `files` travel beside the JSON body as multipart parts. */
export interface DiscordMessagePayload {
  content: string;
  components: MessageRow[];
  flags: number;
  allowed_mentions: { parse: []; replied_user: false };
  /** Metadata for `files`, matched by id = index: `description` is what screen readers announce. */
  attachments?: RESTAPIAttachment[];
  files: RawFile[];
}

export interface RenderOptions {
  /** Only the person who acted sees it (interaction responses in server channels). */
  ephemeral?: boolean;
}

/**
 * Makes plain text safe to show: every markdown construct Discord renders is escaped (backslashes
 * too, so a resident's `\*` cannot cancel an escape), then mentions get a zero-width space so
 * they neither ping nor render as a highlighted name.
 */
export function escapeText(text: string): string {
  const escaped = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    // Block quotes and "-#" subtext are line-leading markdown escapeMarkdown leaves alone.
    .replace(/^(\s*)(>|-#)/gm, "$1\\$2");
  return neutraliseMentions(escaped);
}

/** `@everyone`, `@here`, `<@123>`, `<@&role>`, `<#channel>` become inert text. */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`).replace(/<([@#])/g, `<${ZERO_WIDTH_SPACE}$1`);
}

const BUTTON_STYLES: Record<
  NonNullable<Button["style"]>,
  ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger
> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

function customId(id: string): string {
  if (id.length === 0 || id.length > DISCORD_LIMITS.customId) {
    throw new MessageShapeError(`Discord custom ids are 1-${DISCORD_LIMITS.customId} characters: ${id.slice(0, 40)}`);
  }
  return id;
}

function renderButton(button: Button): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: customId(button.actionId),
    label: truncate(button.label, DISCORD_LIMITS.buttonLabel),
    style: BUTTON_STYLES[button.style ?? "secondary"],
  };
}

function renderSelect(select: SelectMenu): APIStringSelectComponent {
  return {
    type: ComponentType.StringSelect,
    custom_id: customId(select.actionId),
    placeholder: truncate(select.placeholder, DISCORD_LIMITS.selectPlaceholder),
    options: select.options.map((option) => ({
      // A cut value would route to the wrong thing, so values are checked, never trimmed.
      value: customId(option.value),
      label: truncate(option.label, DISCORD_LIMITS.selectOption),
      ...(option.description ? { description: truncate(option.description, DISCORD_LIMITS.selectOption) } : {}),
    })),
  };
}

/**
 * Buttons in rows of at most five, then the select menu on a row of its own. Discord allows five
 * rows; the neutral model allows four button rows plus a select, so nothing valid is ever dropped.
 */
export function renderComponents(message: Message): MessageRow[] {
  const rows: MessageRow[] = [];
  for (const row of message.buttons ?? []) {
    for (let start = 0; start < row.length; start += DISCORD_LIMITS.buttonsPerRow) {
      rows.push({ type: ComponentType.ActionRow, components: row.slice(start, start + DISCORD_LIMITS.buttonsPerRow).map(renderButton) });
    }
  }
  if (message.select) rows.push({ type: ComponentType.ActionRow, components: [renderSelect(message.select)] });
  if (rows.length > DISCORD_LIMITS.rows) throw new MessageShapeError(`Discord shows at most ${DISCORD_LIMITS.rows} rows of components`);
  return rows;
}

/**
 * Title in bold, then the text, then one "**Label:** value" line per field. Fields are lines
 * rather than an embed because people who turn off link previews never see embeds at all, and a
 * counsellor must never miss who an alert is about.
 */
export function renderContent(message: Message): string {
  const lines: string[] = [];
  if (message.title) lines.push(`**${escapeText(message.title)}**`);
  if (message.text) lines.push(escapeText(message.text));
  for (const field of message.fields ?? []) lines.push(`**${escapeText(field.label)}:** ${escapeText(field.value)}`);
  return lines.join("\n");
}

function safeFilename(name: string): string {
  const cleaned = name.replace(/[^\w.-]+/g, "_").slice(-100);
  return cleaned.replace(/^[._]+/, "") || "attachment";
}

function renderFiles(message: Message): Pick<DiscordMessagePayload, "attachments" | "files"> {
  const attachments = message.attachments ?? [];
  if (attachments.length === 0) return { files: [] };
  return {
    files: attachments.map((a) => ({ name: safeFilename(a.filename), data: Buffer.from(a.base64, "base64"), contentType: a.contentType })),
    attachments: attachments.map((a, index) => ({
      id: index,
      filename: safeFilename(a.filename),
      ...(a.altText ? { description: truncate(a.altText, DISCORD_LIMITS.altText) } : {}),
    })),
  };
}

const noMentions = () => ({ parse: [] as [], replied_user: false as const });

/**
 * Splits content into pieces of at most `max` characters, preferring line breaks, then spaces.
 * A cut never lands just after a lone backslash, which would escape the next piece's first
 * character, nor inside a surrogate pair.
 */
export function splitContent(content: string, max: number = DISCORD_LIMITS.content): string[] {
  const parts: string[] = [];
  let rest = content;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) {
      cut = max;
      while (cut > 1 && (rest[cut - 1] === "\\" || /[\ud800-\udbff]/.test(rest[cut - 1] ?? ""))) cut--;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]/, "");
  }
  parts.push(rest);
  return parts;
}

/** Cuts content to Discord's limit with an ellipsis, for the one message an edit can replace. */
function fitContent(content: string): string {
  if (content.length <= DISCORD_LIMITS.content) return content;
  let cut = DISCORD_LIMITS.content - 1;
  while (cut > 1 && (content[cut - 1] === "\\" || /[\ud800-\udbff]/.test(content[cut - 1] ?? ""))) cut--;
  return `${content.slice(0, cut)}…`;
}

/**
 * A new message, as one or more Discord messages. Text over 2,000 characters continues in
 * further messages (up to DISCORD_LIMITS.parts, the last one cut with an ellipsis); buttons and
 * files ride on the last part so they sit under the whole text.
 */
export function renderMessage(message: Message, options: RenderOptions = {}): DiscordMessagePayload[] {
  validateMessage(message);
  const components = renderComponents(message);
  const files = renderFiles(message);
  const flags = options.ephemeral ? MessageFlags.Ephemeral : 0;
  let pieces = splitContent(renderContent(message));
  if (pieces.length > DISCORD_LIMITS.parts) {
    pieces = [...pieces.slice(0, DISCORD_LIMITS.parts - 1), fitContent(`${pieces[DISCORD_LIMITS.parts - 1]}\n…`)];
  }
  return pieces.map((content, index) => {
    const last = index === pieces.length - 1;
    return {
      // Discord rejects a message with nothing in it; a lone zero-width space is invisible.
      content: content || (last && (components.length || files.files.length) ? "" : ZERO_WIDTH_SPACE),
      components: last ? components : [],
      flags,
      allowed_mentions: noMentions(),
      ...(last ? files : { files: [] }),
    };
  });
}

/**
 * The replacement for an existing message: always one message, so long content is cut with an
 * ellipsis. `components` is always sent, so an edit without buttons removes the old ones (an
 * acknowledged alert loses its Acknowledge button); old files stay unless new ones are given.
 */
export function renderEdit(message: Message): DiscordMessagePayload {
  validateMessage(message);
  const components = renderComponents(message);
  const files = renderFiles(message);
  const content = fitContent(renderContent(message));
  return {
    content: content || (components.length || files.files.length ? "" : ZERO_WIDTH_SPACE),
    components,
    flags: 0,
    allowed_mentions: noMentions(),
    ...files,
  };
}

/**
 * A form as a modal: one labelled text input per field. Discord has no custom submit label, so
 * `submitLabel` is not shown; the neutral limits (five fields, short titles) already fit.
 */
export function renderModal(form: Form): APIModalInteractionResponseCallbackData {
  validateForm(form);
  if (form.fields.length > DISCORD_LIMITS.modalInputs) {
    throw new MessageShapeError(`a Discord modal holds at most ${DISCORD_LIMITS.modalInputs} inputs`);
  }
  const components: APILabelComponent[] = form.fields.map((field) => ({
    type: ComponentType.Label,
    label: truncate(field.label, DISCORD_LIMITS.inputLabel),
    component: {
      type: ComponentType.TextInput,
      custom_id: customId(field.id),
      style: field.style === "paragraph" ? TextInputStyle.Paragraph : TextInputStyle.Short,
      required: field.required,
      max_length: Math.min(field.maxLength ?? DISCORD_LIMITS.inputValue, DISCORD_LIMITS.inputValue),
      ...(field.placeholder ? { placeholder: truncate(field.placeholder, DISCORD_LIMITS.inputPlaceholder) } : {}),
      ...(field.initial ? { value: truncate(field.initial, DISCORD_LIMITS.inputValue) } : {}),
    },
  }));
  return { custom_id: customId(form.formId), title: truncate(form.title, DISCORD_LIMITS.modalTitle), components };
}
