export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 30 * 60_000 };

/** Exponential backoff: 5 s, 10 s, 20 s … capped; a platform's Retry-After wins when longer. */
export function retryDelayMs(attempts: number, policy: RetryPolicy, retryAfterMs?: number): number {
  const exponential = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return Math.max(exponential, retryAfterMs ?? 0);
}
