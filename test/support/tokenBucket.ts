/**
 * A platform's rate limit as the doubles keep it: holds up to `capacity` requests and regains
 * `perSecond` of them a second, continuously.
 */
export class TokenBucket {
  private tokens: number;
  private at = Number.NaN;

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
  ) {
    this.tokens = capacity;
  }

  /** Milliseconds until a request may go (0: now), spending nothing. */
  waitMs(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.perSecond) * 1000;
  }

  /** Spends one request and answers 0, or answers how long until one is available. */
  take(nowMs: number): number {
    const wait = this.waitMs(nowMs);
    if (wait === 0) this.tokens -= 1;
    return wait;
  }

  private refill(nowMs: number): void {
    if (!Number.isNaN(this.at)) this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.at) / 1000) * this.perSecond);
    this.at = nowMs;
  }
}
