import type { Registry } from "../src/core/command.ts";
import type { Services } from "../src/services/index.ts";
import { absenceAction, awayCommand, excuseCommand } from "./absence.ts";
import { alertAction, alertsCommand, crisisText, oncallCommand, resolveAlertForm, sosAction, sosCommand } from "./alerts.ts";
import { buddyActions, buddyCommands, buddyForms } from "./buddies/index.ts";
import { checkinAction, checkinCommand, checkinNoteForm, checkinText, consentAction } from "./checkin.ts";
import type { BotCommand } from "./define.ts";
import { deliveriesCommand } from "./deliveries.ts";
import { helpCommand } from "./help.ts";
import { meetingActions, meetingCommands, meetingForms } from "./meetings/index.ts";
import { privacyAction, privacyCommand, reportCommand } from "./privacy.ts";
import { celebrateCommand, pauseCommand, resumeCommand, scheduleCommand, sobrietyDateCommand, streakCommand } from "./progress.ts";
import { residentCommand } from "./resident.ts";
import { settingsCommand } from "./settings.ts";
import { setupCommand } from "./setup.ts";
import { staffCommand } from "./staff.ts";

/** Every command, button, form and DM handler the bot has. Listed by hand: no directory scanning. */
const commands: BotCommand[] = [];
commands.push(
  helpCommand(() => commands),
  checkinCommand,
  streakCommand,
  scheduleCommand,
  pauseCommand,
  resumeCommand,
  sobrietyDateCommand,
  celebrateCommand,
  awayCommand,
  sosCommand,
  ...meetingCommands,
  ...buddyCommands,
  excuseCommand,
  privacyCommand,
  alertsCommand,
  oncallCommand,
  reportCommand,
  residentCommand,
  setupCommand,
  settingsCommand,
  staffCommand,
  deliveriesCommand,
);

export const registry: Registry<Services> = {
  commands,
  actions: [checkinAction, consentAction, absenceAction, alertAction, sosAction, privacyAction, ...meetingActions, ...buddyActions],
  forms: [checkinNoteForm, resolveAlertForm, ...meetingForms, ...buddyForms],
  // Order matters: crisis language is looked for before anything else.
  directText: [crisisText, checkinText],
};
