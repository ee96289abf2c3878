import type { BotAction, BotCommand, BotForm } from "../define.ts";

/** Intake, pairing, buddy pings and peer roles (issue: buddies). */
export const buddyCommands: BotCommand[] = [];
export const buddyActions: BotAction[] = [];
export const buddyForms: BotForm[] = [];
