import type { Registry } from "../src/core/command.ts";
import type { Services } from "../src/services/index.ts";
import type { BotCommand } from "./define.ts";
import { helpCommand } from "./help.ts";
import { setupCommand } from "./setup.ts";
import { staffCommand } from "./staff.ts";

/** Every command, button, form and DM handler the bot has. Listed by hand: no directory scanning. */
const commands: BotCommand[] = [];
commands.push(
  helpCommand(() => commands),
  setupCommand,
  staffCommand,
);

export const registry: Registry<Services> = {
  commands,
  actions: [],
  forms: [],
  directText: [],
};
