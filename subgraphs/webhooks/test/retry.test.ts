import { DEFAULT_RETRY_POLICY, outcomeOf, retryDelayMs } from '../src/domain/retry';
import { messageType } from '../src/domain/events';

describe('retries', () => {
  it('come first within 60 s, then exponentially further apart, jittered, up to an hour', () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, () => 1)).toBe(30_000);
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(15_000);
    expect(retryDelayMs(2, DEFAULT_RETRY_POLICY, () => 1)).toBe(60_000);
    expect(retryDelayMs(5, DEFAULT_RETRY_POLICY, () => 1)).toBe(480_000);
    expect(retryDelayMs(30, DEFAULT_RETRY_POLICY, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(30, DEFAULT_RETRY_POLICY, () => 0)).toBe(1_800_000);
  });

  it('last a day: about 30 attempts before a message fails', () => {
    let elapsed = 0;
    let attempts = 0;
    while (elapsed <= DEFAULT_RETRY_POLICY.giveUpAfterMs) elapsed += retryDelayMs(++attempts, DEFAULT_RETRY_POLICY, () => 1);
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
  });

  it('follow from the answer: 2xx delivers, 410 disables, anything else (3xx too) is retried', () => {
    expect([200, 201, 204, 299].map(outcomeOf)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    expect(outcomeOf(410)).toBe('GONE');
    expect([null, 301, 302, 307, 400, 404, 429, 500, 503].map(outcomeOf)).toEqual(Array(9).fill('RETRY'));
  });
});

describe('message types', () => {
  it('are the event in lower case with a dot', () => {
    expect(messageType('COMPLAINT_ASSIGNED')).toBe('complaint.assigned');
    expect(messageType('COMPLAINT_FOLLOWED_UP')).toBe('complaint.followed_up');
    expect(messageType('ESCALATION_RECEIVED')).toBe('escalation.received');
  });
});
