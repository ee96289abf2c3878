import { z } from "zod";
import { reply } from "../src/core/command.ts";
import { message } from "../src/core/message.ts";
import { opt } from "../src/core/options.ts";
import { command } from "./define.ts";

export const staffCommand = command({
  name: "staff",
  description: "Make someone a counsellor or admin, or take the role away (admins)",
  access: ["admin"],
  options: z.object({
    action: opt.choice("add or remove", ["add", "remove"] as const),
    user: opt.user("The person"),
    role: opt.choice("The staff role", ["counsellor", "admin"] as const).optional(),
  }),
  examples: ["/staff add @sam counsellor", "/staff remove @sam"],
  async run(ctx, input) {
    const house = ctx.house;
    const actor = ctx.member;
    if (!house || !actor) return [];
    const role = input.action === "add" ? (input.role ?? "counsellor") : "resident";
    const result = await ctx.services.members.setStaffRole(house.id, actor.id, input.user, role);
    const say = (text: string) => [reply(message(text, { ephemeral: true }))];
    switch (result.outcome) {
      case "changed":
        return say(
          role === "resident"
            ? `${result.member.displayName} is no longer ${result.previous === "admin" ? "an admin" : "a counsellor"}.`
            : `${result.member.displayName} is now ${role === "admin" ? "an admin" : "a counsellor"}.`,
        );
      case "unchanged":
        return say(`${result.member.displayName} already has that role.`);
      case "refused":
        return say(
          {
            unknown_member: "I don't know that person yet. Ask them to say hello to the bot (for example /help) first, then try again.",
            last_admin: "That is the house's last admin. Make someone else an admin first.",
            self_demotion: "You can't remove your own admin role. Ask another admin to do it.",
            is_bot: "Bots can't hold staff roles.",
          }[result.reason],
        );
    }
  },
});
