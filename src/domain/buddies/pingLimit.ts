/**
 * Pings between a newcomer and their buddy are limited per pair, so a stuck key or a double tap
 * does not flood someone's phone; a real conversation never needs more than this.
 */
export const PING_LIMIT = { count: 3, windowMinutes: 30 } as const;

export type PingAllowance = { allowed: true } | { allowed: false; retryAt: Date };

/** Whether another ping may go now, given the pair's earlier pings (any order, either direction). */
export function pingAllowance(
  earlier: readonly Date[],
  now: Date,
  limit: { count: number; windowMinutes: number } = PING_LIMIT,
): PingAllowance {
  const windowMs = limit.windowMinutes * 60_000;
  const recent = earlier
    .map((d) => d.getTime())
    .filter((t) => t > now.getTime() - windowMs && t <= now.getTime())
    .sort((a, b) => a - b);
  if (recent.length < limit.count) return { allowed: true };
  // The window frees a slot when the oldest ping that keeps it full drops out.
  const oldest = recent[recent.length - limit.count] ?? now.getTime();
  return { allowed: false, retryAt: new Date(oldest + windowMs) };
}
