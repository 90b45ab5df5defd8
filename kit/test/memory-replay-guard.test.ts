import { MemoryReplayGuard } from '../src/credential';

describe('MemoryReplayGuard', () => {
  it('accepts an id once until its credential expires', () => {
    const guard = new MemoryReplayGuard();
    expect(guard.claim('a', 160, 100)).toBe(true);
    expect(guard.claim('a', 160, 120)).toBe(false);
    expect(guard.claim('b', 180, 120)).toBe(true);
    expect(guard.claim('b', 180, 150)).toBe(false);
  });

  it('forgets ids whose credentials have expired, so memory is bounded by one lifetime of traffic', () => {
    const guard = new MemoryReplayGuard();
    for (let i = 0; i < 1000; i++) guard.claim(`early-${i}`, 160, 100);
    guard.claim('late', 230, 170);
    expect(guard.size).toBe(1);
  });
});
