/**
 * The neutral message model. Services build these; each adapter renders them in its own render
 * module. Every string here is plain text: adapters escape it for their platform, so resident
 * text can never turn into markup or a mention. Messages are JSON so the outbox can store them.
 */

export const LIMITS = {
  /** Discord custom_id and Slack action_id both allow more; 100 is the smaller. */
  actionIdLength: 100,
  buttonLabelLength: 80,
  buttonsPerRow: 5,
  buttonRows: 4,
  selectOptions: 25,
  formFields: 5,
  formTitleLength: 24,
  fieldLabelLength: 45,
  /** Neutral cap on a message body; adapters split or trim further to their own limit. */
  textLength: 3500,
  noteLength: 1000,
} as const;

export type ButtonStyle = "primary" | "secondary" | "danger" | "success";

export interface Button {
  actionId: string;
  label: string;
  style?: ButtonStyle;
}

export interface SelectOption {
  value: string;
  label: string;
  description?: string;
}

export interface SelectMenu {
  actionId: string;
  placeholder: string;
  options: SelectOption[];
}

export interface FormField {
  id: string;
  label: string;
  style: "short" | "paragraph";
  required: boolean;
  maxLength?: number;
  placeholder?: string;
  initial?: string;
}

export interface Form {
  /** Routed like a button's action id when submitted. */
  formId: string;
  title: string;
  fields: FormField[];
  submitLabel?: string;
}

/** A file to attach: a chart PNG, a JSON export, a calendar. Base64 so it survives JSON storage. */
export interface Attachment {
  filename: string;
  contentType: string;
  base64: string;
  /** Required for images: what a screen reader or a text-only client shows instead. */
  altText?: string;
}

/** Label/value pairs that counsellor messages use to stay scannable. */
export interface Field {
  label: string;
  value: string;
}

export interface Message {
  /** A short heading adapters show in bold. */
  title?: string;
  text: string;
  fields?: Field[];
  /** Rows of buttons, at most LIMITS.buttonRows rows of LIMITS.buttonsPerRow. */
  buttons?: Button[][];
  select?: SelectMenu;
  attachments?: Attachment[];
  /** Shown only to the person who acted, where the platform can (server channels). */
  ephemeral?: boolean;
}

export class MessageShapeError extends Error {}

/** Checks a message against the neutral limits; services call this through `message()`. */
export function validateMessage(message: Message): Message {
  const ids = [...(message.buttons ?? []).flat().map((button) => button.actionId), ...(message.select ? [message.select.actionId] : [])];
  for (const id of ids) {
    if (id.length === 0 || id.length > LIMITS.actionIdLength) {
      throw new MessageShapeError(`action id must be 1-${LIMITS.actionIdLength} characters: ${id.slice(0, 40)}`);
    }
  }
  const rows = message.buttons ?? [];
  if (rows.length > LIMITS.buttonRows) throw new MessageShapeError(`at most ${LIMITS.buttonRows} button rows`);
  for (const row of rows) {
    if (row.length === 0 || row.length > LIMITS.buttonsPerRow) {
      throw new MessageShapeError(`each button row holds 1-${LIMITS.buttonsPerRow} buttons`);
    }
  }
  if (message.select && message.select.options.length > LIMITS.selectOptions) {
    throw new MessageShapeError(`a select menu holds at most ${LIMITS.selectOptions} options`);
  }
  for (const attachment of message.attachments ?? []) {
    if (attachment.contentType.startsWith("image/") && !attachment.altText) {
      throw new MessageShapeError(`image ${attachment.filename} needs alt text`);
    }
  }
  return message;
}

export function validateForm(form: Form): Form {
  if (form.fields.length === 0 || form.fields.length > LIMITS.formFields) {
    throw new MessageShapeError(`a form holds 1-${LIMITS.formFields} fields`);
  }
  if (form.formId.length > LIMITS.actionIdLength) throw new MessageShapeError("form id too long");
  if (form.title.length > LIMITS.formTitleLength) throw new MessageShapeError("form title too long");
  return form;
}

/** Builds a validated message: `message("Thanks", { buttons: [[...]] })`. */
export function message(text: string, extra: Omit<Message, "text"> = {}): Message {
  return validateMessage({ text, ...extra });
}

/** Trims text to a length, marking the cut so nobody mistakes it for the whole. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
