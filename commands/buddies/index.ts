import type { BotAction, BotCommand, BotForm } from "../define.ts";
import { buddyCommand } from "./buddy.ts";
import { buddyAction } from "./buddyAction.ts";
import { buddyConsentCommand } from "./buddyConsent.ts";
import { dischargeCommand } from "./discharge.ts";
import { intakeCommand } from "./intake.ts";
import { pairCommand } from "./pair.ts";
import { peerRoleCommand } from "./peerRole.ts";
import { proposalAction } from "./proposalAction.ts";
import { unpairCommand } from "./unpair.ts";

/** Intake, pairing, buddy pings and peer roles (issue: buddies). */
export const buddyCommands: BotCommand[] = [
  buddyCommand,
  buddyConsentCommand,
  intakeCommand,
  dischargeCommand,
  pairCommand,
  unpairCommand,
  peerRoleCommand,
];
export const buddyActions: BotAction[] = [proposalAction, buddyAction];
/** No forms: every buddy command takes its text inline. */
export const buddyForms: BotForm[] = [];
