/**
 * Reconnect policy: exponential backoff from 0.5 s to 8 s, reset after a connection has played
 * for a while. Pure, so it is unit-tested without a browser.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** A connection that played this long counts as healthy: the next failure starts over. */
  healthyAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 8000, factor: 2, healthyAfterMs: 10_000 };

export class Backoff {
  private failures = 0;
  private playingSince: number | null = null;

  constructor(private readonly policy: BackoffPolicy = defaultBackoff) {}

  /** A frame played at `now`. */
  playing(now: number): void {
    this.playingSince ??= now;
  }

  /** The connection failed at `now`: returns the delay before the next attempt and its number. */
  failed(now: number): { attempt: number; delayMs: number } {
    if (this.playingSince !== null && now - this.playingSince >= this.policy.healthyAfterMs) this.failures = 0;
    this.playingSince = null;
    const delayMs = Math.min(this.policy.maxMs, this.policy.initialMs * this.policy.factor ** this.failures);
    this.failures++;
    return { attempt: this.failures, delayMs };
  }

  reset(): void {
    this.failures = 0;
    this.playingSince = null;
  }

  get attempts(): number {
    return this.failures;
  }
}
