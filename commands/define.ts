import type { z } from "zod";
import {
  type ActionDefinition,
  type CommandDefinition,
  type DirectTextDefinition,
  defineCommand,
  type FormDefinition,
} from "../src/core/command.ts";
import type { Services } from "../src/services/index.ts";

/** Command definitions bound to this bot's services. */
export function command<O extends z.ZodObject>(definition: CommandDefinition<Services, O>) {
  return defineCommand<Services, O>(definition);
}

export type BotCommand = CommandDefinition<Services>;
export type BotAction = ActionDefinition<Services>;
export type BotForm = FormDefinition<Services>;
export type BotDirectText = DirectTextDefinition<Services>;
