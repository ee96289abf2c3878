import type { BotAction, BotCommand, BotForm } from "../define.ts";

/** Meeting commands, buttons and forms (issue: meetings). */
export const meetingCommands: BotCommand[] = [];
export const meetingActions: BotAction[] = [];
export const meetingForms: BotForm[] = [];
