import type { z } from "zod";
import type { ActionEvent, Actor, CommandEvent, DirectTextEvent, FormSubmitEvent, InboundEvent } from "./events.ts";
import type { Form, Message } from "./message.ts";
import type { Clock, Logger } from "./ports.ts";

export type Role = "resident" | "counsellor" | "admin";
export type PeerRoleName = "none" | "buddy_eligible" | "senior_peer";
export type MemberStatusName = "invited" | "active" | "paused" | "discharged";

/** What the dispatcher and commands know of the person acting; read from our own database. */
export interface MemberView {
  id: string;
  houseId: string;
  displayName: string;
  role: Role;
  peerRole: PeerRoleName;
  status: MemberStatusName;
}

export interface HouseView {
  id: string;
  name: string;
  timezone: string;
  country: string;
  platform: Actor["platform"];
  workspaceId: string;
}

export type Reply = { kind: "reply"; message: Message } | { kind: "update"; message: Message } | { kind: "form"; form: Form };

export interface Context<S, E extends InboundEvent = InboundEvent> {
  event: E;
  actor: Actor;
  house: HouseView | null;
  member: MemberView | null;
  services: S;
  clock: Clock;
  logger: Logger;
}

/** Who may run something. `"anyone"` includes people the bot has never seen (for /help, /setup). */
export type Access = "anyone" | readonly Role[];

export interface CommandDefinition<S, O extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  access: Access;
  /** Whether the command may run before the server/workspace has a house (only /setup and /help). */
  needsHouse?: boolean;
  /** Still available after discharge (a former resident keeps their rights over their data). */
  openToDischarged?: boolean;
  /** Roles that see it in /help, when narrower than `access` (e.g. /setup is open so the first person can run it). */
  listedFor?: readonly Role[];
  options: O;
  /** Examples shown in /help and usage errors. */
  examples?: string[];
  run(ctx: Context<S, CommandEvent> & { house: HouseView | null }, input: z.infer<O>): Promise<Reply[]>;
}

/** Buttons, select menus and forms are routed by the first segment of their id (`checkin:…`). */
export interface ActionDefinition<S> {
  prefix: string;
  access: Access;
  openToDischarged?: boolean;
  /**
   * A form to open straight away, decided from the id alone with no database work, because
   * platforms only allow opening a form in the first response to a click (within 3 seconds).
   */
  formFor?(parts: string[]): Form | null;
  run(ctx: Context<S, ActionEvent>, parts: string[]): Promise<Reply[]>;
}

export interface FormDefinition<S> {
  prefix: string;
  access: Access;
  run(ctx: Context<S, FormSubmitEvent>, parts: string[], values: Record<string, string>): Promise<Reply[]>;
}

/** Handles plain DM text; returns null to let the next handler try. */
export interface DirectTextDefinition<S> {
  name: string;
  run(ctx: Context<S, DirectTextEvent>): Promise<Reply[] | null>;
}

export interface Registry<S> {
  commands: CommandDefinition<S, z.ZodObject>[];
  actions: ActionDefinition<S>[];
  forms: FormDefinition<S>[];
  directText: DirectTextDefinition<S>[];
}

export function defineCommand<S, O extends z.ZodObject>(definition: CommandDefinition<S, O>): CommandDefinition<S, z.ZodObject> {
  return definition as unknown as CommandDefinition<S, z.ZodObject>;
}

export function mayRun(access: Access, member: MemberView | null): boolean {
  if (access === "anyone") return true;
  return member !== null && access.includes(member.role);
}

export const reply = (message: Message): Reply => ({ kind: "reply", message });
export const update = (message: Message): Reply => ({ kind: "update", message });
export const openForm = (form: Form): Reply => ({ kind: "form", form });

/** Splits an action or form id into its segments: `checkin:craving:abc:7` → ["checkin","craving","abc","7"]. */
export function idParts(id: string): string[] {
  return id.split(":");
}
