import { type Reply, reply } from "../../src/core/command.ts";
import { LIMITS, message, truncate } from "../../src/core/message.ts";
import { FEED_FORMAT_LABELS } from "../../src/domain/meetings/index.ts";
import type { ImportReport } from "../../src/services/meetings/importFeed.ts";

const REJECTED_LINES = 15;

/** The counsellor's report of an import: what changed, each refused row by slug and reason, what the feed no longer lists. */
export function importReplies(report: ImportReport): Reply[] {
  if (report.outcome === "refused") {
    return [
      reply(
        message(`Nothing was imported: ${report.reason}. The meetings from before are unchanged.`, {
          title: "Meetings not imported",
          ephemeral: true,
        }),
      ),
    ];
  }
  const total = report.created + report.updated + report.unchanged;
  const lines = [
    `From a ${FEED_FORMAT_LABELS[report.format]} feed: ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged.`,
  ];
  if (report.rejected.length > 0) {
    lines.push("", `Not imported (${report.rejected.length}):`);
    for (const row of report.rejected.slice(0, REJECTED_LINES)) lines.push(`• ${row.slug.slice(0, 60)}: ${row.reason}`);
    if (report.rejected.length > REJECTED_LINES) lines.push(`…and ${report.rejected.length - REJECTED_LINES} more.`);
  }
  if (report.notInFeed.length > 0) {
    lines.push(
      "",
      `Imported before but not in this feed (left as they are): ${report.notInFeed.slice(0, 10).join(", ")}${report.notInFeed.length > 10 ? ", …" : ""}. Remove any that have ended with /meeting-admin remove <name>.`,
    );
  }
  lines.push("", "Residents see them with /meetings. Mark house meetings everyone attends with /meeting-admin edit <name> required:yes.");
  return [
    reply(
      message(truncate(lines.join("\n"), LIMITS.textLength), {
        title: total > 0 ? "Meetings imported" : "No meetings imported",
        ephemeral: true,
      }),
    ),
  ];
}
