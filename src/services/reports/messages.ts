import type { ChartImage } from "../../charts/index.ts";
import { type Message, message } from "../../core/message.ts";
import type { ViewText } from "../../domain/reports/index.ts";

/**
 * A counsellor view as a neutral message: the key figures as text (what the console and screen
 * readers get), and the chart as a PNG whose alt text repeats the figures it draws. With no chart
 * (rendering failed) the text alone still carries every figure.
 */
export function viewMessage(view: ViewText, chart: ChartImage | null, filename: string, extra: { ephemeral?: boolean } = {}): Message {
  return message(view.text, {
    title: view.title,
    fields: view.fields,
    ...(chart
      ? { attachments: [{ filename, contentType: "image/png", base64: chart.png.toString("base64"), altText: view.altText }] }
      : {}),
    ...extra,
  });
}

/** "oak-house" for file names: letters, digits and dashes only. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "house"
  );
}
