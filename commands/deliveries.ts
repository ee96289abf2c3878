import { z } from "zod";
import { reply } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import { command } from "./define.ts";

const say = (text: string, title?: string) => [reply(message(text, { ephemeral: true, ...(title ? { title } : {}) }))];

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/** Outbox health for house admins: what went out, what is waiting, what failed for good, and a way to try again. */
export const deliveriesCommand = command({
  name: "deliveries",
  description: "Messages the bot has sent, is still sending, or could not deliver; retry the undelivered (admins)",
  access: ["admin"],
  options: z.object({ action: opt.choice("show, or retry the undelivered", ["show", "retry"] as const).optional() }),
  examples: ["/deliveries", "/deliveries retry"],
  async run(ctx, input) {
    if (!ctx.house) return [];
    const maintenance = ctx.services.maintenance;
    if (input.action === "retry") {
      const count = await maintenance.retryDead(ctx.house.id, ctx.clock.now());
      return say(
        count === 0
          ? "There are no undelivered messages to retry."
          : `${plural(count, "undelivered message is", "undelivered messages are")} back in the queue; they go out within a minute.`,
      );
    }
    const status = await maintenance.outboxStatus(ctx.house.id);
    const n = (key: string) => status[key] ?? 0;
    const lines = [
      `Sent: ${n("sent").toLocaleString("en-GB")}`,
      `Waiting to go out: ${(n("pending") + n("sending")).toLocaleString("en-GB")}`,
      `Undelivered after every retry: ${n("dead").toLocaleString("en-GB")}`,
      `Cancelled (no longer needed): ${n("cancelled").toLocaleString("en-GB")}`,
    ];
    const advice =
      n("dead") > 0
        ? `${plural(n("dead"), "message", "messages")} could not be delivered. Once the chat platform is working again, type /deliveries retry to send them.`
        : "Nothing is stuck.";
    return say(`${lines.join("\n")}\n\n${advice}`, "Deliveries");
  },
});
