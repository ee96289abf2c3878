import type { BotAction, BotCommand, BotForm } from "../define.ts";
import { attendanceCommand } from "./attendance.ts";
import { meetingButtons } from "./buttons.ts";
import { importFeedSubmit } from "./importForm.ts";
import { meetingAdminCommand } from "./meetingAdmin.ts";
import { meetingsCommand } from "./meetings.ts";

/** Meeting commands, buttons and forms (issue: meetings). */
export const meetingCommands: BotCommand[] = [meetingsCommand, meetingAdminCommand, attendanceCommand];
export const meetingActions: BotAction[] = [meetingButtons];
export const meetingForms: BotForm[] = [importFeedSubmit];
