import { MemoryReplayGuard, type ReplayGuard } from '@lapor-hub/node-kit';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, ServiceUnavailableError } from './errors';
import { Rounds } from './rounds';
import type { CredentialUseRepository } from './credential-use-repository';

/** How often the expired ids are deleted. */
const PRUNE_EVERY_MS = 60_000;

/**
 * The replay guard of a subgraph with replicas: this process's memory first (a replay to the same
 * process costs no statement), then the shared table, so a credential is used once across every
 * replica. Expired ids are pruned in the background.
 */
export class SharedReplayGuard implements ReplayGuard {
  private readonly local = new MemoryReplayGuard();
  private readonly pruning: Rounds;

  constructor(private readonly uses: CredentialUseRepository) {
    this.pruning = new Rounds('credential-use-prune', () => uses.prune(), PRUNE_EVERY_MS);
  }

  async claim(jti: string, expiresAtSeconds: number): Promise<boolean> {
    if (!this.local.claim(jti, expiresAtSeconds)) return false;
    try {
      return await this.uses.claim(jti, expiresAtSeconds);
    } catch (error) {
      // Before any resolver runs: say what a resolver would, that the database is away for now,
      // as a GraphQL answer (HTTP 200) so that the gateway passes the code on: a failed HTTP
      // status would reach the caller as a vaguer DOWNSTREAM_SERVICE_ERROR.
      if (isDatabaseUnavailable(error)) throw new ServiceUnavailableError(DATABASE_UNAVAILABLE_MESSAGE, { http: { status: 200 } });
      throw error;
    }
  }

  start(): void {
    this.pruning.start();
  }

  stop(): Promise<void> {
    return this.pruning.stop();
  }
}
