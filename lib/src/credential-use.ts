import { MemoryReplayGuard, type ReplayGuard } from '@lapor-hub/node-kit';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, ServiceUnavailableError } from './errors';
import { Rounds } from './rounds';
import type { CredentialUseRepository } from './credential-use-repository';

/** How often the expired ids are deleted. */
const PRUNE_EVERY_MS = 60_000;

interface PendingClaim {
  jti: string;
  expiresAtSeconds: number;
  resolve(claimed: boolean): void;
  reject(error: unknown): void;
}

/**
 * The replay guard of a subgraph with replicas: this process's memory first (a replay to the same
 * process costs no statement), then the shared table, so a credential is used once across every
 * replica. The claims of the requests that arrive together (one turn of the event loop: under load,
 * the fetches of many clients) share one statement, and so one connection of the pool. Expired ids
 * are pruned in the background.
 */
export class SharedReplayGuard implements ReplayGuard {
  private readonly local = new MemoryReplayGuard();
  private readonly pruning: Rounds;
  private pending: PendingClaim[] = [];

  constructor(private readonly uses: CredentialUseRepository) {
    this.pruning = new Rounds('credential-use-prune', () => uses.prune(), PRUNE_EVERY_MS);
  }

  async claim(jti: string, expiresAtSeconds: number): Promise<boolean> {
    if (!this.local.claim(jti, expiresAtSeconds)) return false;
    try {
      return await new Promise<boolean>((resolve, reject) => {
        if (this.pending.length === 0) setImmediate(() => this.record());
        this.pending.push({ jti, expiresAtSeconds, resolve, reject });
      });
    } catch (error) {
      // Before any resolver runs: say what a resolver would, that the database is away for now,
      // as a GraphQL answer (HTTP 200) so that the gateway passes the code on: a failed HTTP
      // status would reach the caller as a vaguer DOWNSTREAM_SERVICE_ERROR.
      if (isDatabaseUnavailable(error)) throw new ServiceUnavailableError(DATABASE_UNAVAILABLE_MESSAGE, { http: { status: 200 } });
      throw error;
    }
  }

  /** Sends the claims gathered so far as one statement and answers each. */
  private record(): void {
    const batch = this.pending;
    this.pending = [];
    this.uses.claim(batch).then(
      (claimed) => batch.forEach((claim) => claim.resolve(claimed.has(claim.jti))),
      (error) => batch.forEach((claim) => claim.reject(error)),
    );
  }

  start(): void {
    this.pruning.start();
  }

  stop(): Promise<void> {
    return this.pruning.stop();
  }
}
