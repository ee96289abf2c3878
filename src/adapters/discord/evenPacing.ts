import { setTimeout as sleep } from "node:timers/promises";

/**
 * Sends requests evenly spaced at the bot's global limit, one every 1/perSecond of a second.
 *
 * discord.js counts the global limit in one-second windows: the first 50 requests of a window
 * go at once and the 51st waits for the next window. Discord does not publish how it measures
 * its second, so a window's burst that reaches Discord late (a busy machine, a slow network) and
 * the next window's burst that reaches it on time can land inside one of Discord's seconds and be
 * refused with 429. Evenly spaced requests stay under any way of measuring the second, and an
 * alert waits at most one spacing behind the backlog, not the rest of a window.
 *
 * Slots are kept on an absolute timeline, so a timer that fires late lets the overdue requests
 * go together and the average never rises above the limit; an idle bot sends at once.
 */
export function evenlyPaced<A extends unknown[], R>(
  perSecond: number,
  send: (...args: A) => Promise<R>,
  clock: { now(): number; sleep(ms: number): Promise<unknown> } = { now: () => performance.now(), sleep },
): (...args: A) => Promise<R> {
  const spacingMs = 1000 / perSecond;
  let nextSlot = Number.NEGATIVE_INFINITY;
  return async (...args: A) => {
    const now = clock.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + spacingMs;
    if (slot > now) await clock.sleep(slot - now);
    return send(...args);
  };
}
