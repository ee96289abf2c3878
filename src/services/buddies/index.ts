import type { ServiceDeps } from "../deps.ts";
import { createIntake } from "./intake.ts";
import { createMatchmaking } from "./matchmaking.ts";
import { createPings } from "./pings.ts";
import { createRoles } from "./roles.ts";

/** Buddies and senior peers: intake and discharge, pairing, pings, roles. */
export function createBuddies(deps: ServiceDeps) {
  const matchmaking = createMatchmaking(deps);
  return {
    ...createIntake(deps),
    ...matchmaking,
    ...createPings(deps),
    ...createRoles(deps),
    /** Part of the minute sweep: pairings that reach their planned end. */
    sweep: matchmaking.sweep,
  };
}

export type Buddies = ReturnType<typeof createBuddies>;
