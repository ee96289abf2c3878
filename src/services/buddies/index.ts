import type { ServiceDeps } from "../deps.ts";

/** Buddies and senior peers: intake, pairing, pings, roles. */
export function createBuddies(_deps: ServiceDeps) {
  return {
    /** Part of the minute sweep: pairings that reach their planned end. */
    async sweep(_now: Date): Promise<void> {},
  };
}

export type Buddies = ReturnType<typeof createBuddies>;
