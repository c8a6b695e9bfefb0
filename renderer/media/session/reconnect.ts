/**
 * The one retry policy of every pane, live or playback: exponential backoff, reset once a
 * connection has played for a while; a recording gives up after `maxTries` and says why (a live
 * pane never does: its camera may come back). Pure, so it is unit-tested without a browser.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** A connection that played this long counts as healthy: the next failure starts over. */
  healthyAfterMs: number;
  /** Failures in a row after which the pane stops trying (none: for ever). */
  maxTries?: number;
  /** Each delay is spread by ± this fraction, so a wall's panes do not ask the platform in step. */
  jitter?: number;
}

/**
 * Live: 0.5 s doubling to 3 s, for ever, spread ± 20 %. The cap is what an operator waits after a
 * camera comes back; at 3 s a 16-pane wall of a platform that is down asks it about five times a
 * second, which platforms take. A platform or media server with several panes down is looked for
 * each second by one of them in turn (Comebacks), which wakes the rest when it plays.
 */
export const defaultBackoff: BackoffPolicy = {
  initialMs: 500,
  maxMs: 3000,
  factor: 2,
  healthyAfterMs: 10_000,
  jitter: 0.2,
};

/**
 * Opening a recording fails now and then (a platform slow to cut it, or answering 404 until it is
 * ready): tried again after 1, 2, 4, 8 s, then given up until the operator seeks or retries. A
 * recording that showed a picture starts the count afresh.
 */
export const playbackRetry: BackoffPolicy & { maxTries: number } = {
  initialMs: 1000,
  maxMs: 8000,
  factor: 2,
  healthyAfterMs: 0,
  maxTries: 5,
};

export class Backoff {
  private failures = 0;
  private playingSince: number | null = null;

  constructor(
    private readonly policy: BackoffPolicy = defaultBackoff,
    private readonly random: () => number = Math.random,
  ) {}

  /** A frame played at `now`. */
  playing(now: number): void {
    this.playingSince ??= now;
  }

  /**
   * The connection failed at `now`: the delay before the next attempt and its number; `final`
   * where this was the last try the policy allows (no attempt follows).
   */
  failed(now: number): { attempt: number; delayMs: number; final: boolean } {
    if (this.playingSince !== null && now - this.playingSince >= this.policy.healthyAfterMs) this.failures = 0;
    this.playingSince = null;
    const base = Math.min(this.policy.maxMs, this.policy.initialMs * this.policy.factor ** this.failures);
    const spread = this.policy.jitter ?? 0;
    const delayMs = Math.round(base * (1 - spread + 2 * spread * this.random()));
    this.failures++;
    const final = this.policy.maxTries !== undefined && this.failures >= this.policy.maxTries;
    return { attempt: this.failures, delayMs, final };
  }

  reset(): void {
    this.failures = 0;
    this.playingSince = null;
  }

  get attempts(): number {
    return this.failures;
  }
}
