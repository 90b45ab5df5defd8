/** How a failed delivery is retried. */
export interface RetryPolicy {
  /** The delay before the first retry; each later one doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long a message is retried before it is FAILED. */
  giveUpAfterMs: number;
  /** How long a subscription may fail without a success before it is disabled. */
  disableAfterMs: number;
}

/** 30 s, 1 min, 2 min, … up to an hour apart, with jitter; for a day; a subscription failing for three days is disabled. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
  disableAfterMs: 3 * 24 * 3_600_000,
};

/**
 * The wait before the next attempt after `attempts` failed ones: exponential, and jittered between
 * half and all of it, so that receivers coming back are not hit by every sender at the same instant.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.firstDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** What an answer means for a delivery: delivered, retried, or the receiver gone for good (410). */
export type AttemptOutcome = 'DELIVERED' | 'RETRY' | 'GONE';

/** 2xx delivers; 410 Gone disables the subscription; anything else (a 3xx too: redirects are not followed) is retried. */
export function outcomeOf(status: number | null): AttemptOutcome {
  if (status !== null && status >= 200 && status < 300) return 'DELIVERED';
  if (status === 410) return 'GONE';
  return 'RETRY';
}
