import type { Button, Form, Message } from "../../core/message.ts";

/** A pressable thing shown with a number: a button, or one option of a select menu. */
export interface Pressable {
  actionId: string;
  value?: string;
  label: string;
}

export function pressables(message: Message): Pressable[] {
  const buttons: Pressable[] = (message.buttons ?? []).flat().map((b: Button) => ({ actionId: b.actionId, label: b.label }));
  const options: Pressable[] = (message.select?.options ?? []).map((o) => ({
    actionId: message.select?.actionId ?? "",
    value: o.value,
    label: o.label,
  }));
  return [...buttons, ...options];
}

/** Plain text for a terminal: title, body, fields, numbered buttons, attachments by name. */
export function renderMessage(message: Message, heading: string, savedTo?: string[]): string {
  const lines: string[] = [heading];
  if (message.title) lines.push(`  ${message.title}`);
  for (const line of message.text.split("\n")) lines.push(`  ${line}`);
  for (const field of message.fields ?? []) lines.push(`  ${field.label}: ${field.value}`);
  const items = pressables(message);
  if (message.select) lines.push(`  ${message.select.placeholder}:`);
  items.forEach((item, index) => {
    lines.push(`  [${index + 1}] ${item.label}`);
  });
  for (const [index, attachment] of (message.attachments ?? []).entries()) {
    const where = savedTo?.[index];
    lines.push(
      `  (attached ${attachment.filename}${where ? `, saved to ${where}` : ""}${attachment.altText ? `: ${attachment.altText}` : ""})`,
    );
  }
  if (items.length) lines.push("  (type press <number>)");
  return lines.join("\n");
}

export function renderFormIntro(form: Form): string {
  return `  ${form.title}: ${form.fields.length} question${form.fields.length === 1 ? "" : "s"}. Press Enter to skip an optional one, or type cancel.`;
}
