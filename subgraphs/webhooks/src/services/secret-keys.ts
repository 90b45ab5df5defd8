import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookSecretKeyring } from '../domain/secret-sealing';
import { sealedSecretsOf, SubscriptionRepository } from '../subscription-repository';

const BATCH = 500;

/**
 * Seals again under WEBHOOK_SECRET_KEY every subscription's secrets still sealed under a key it
 * replaced (given in WEBHOOK_SECRET_KEY_PREVIOUS), so that the old key can then be dropped. Run at
 * every start, before anything is sent; safe on several replicas at once (a row is written only
 * as it was read). A row sealed under a key the service was not given stops the start: its
 * deliveries could not be signed. Resolves to how many it sealed again.
 */
export async function resealSigningSecrets(em: EntityManager, keyring: WebhookSecretKeyring): Promise<number> {
  const subscriptions = new SubscriptionRepository(em);
  let resealed = 0;
  for (;;) {
    const rows = await subscriptions.sealedUnderOtherKeys([keyring.currentKeyId], BATCH);
    if (rows.length === 0) return resealed;
    await subscriptions.reseal(
      rows.map((row) => ({ id: row.id, replaced: row.secretSealed, sealed: keyring.seal(row.id, keyring.open(row.id, sealedSecretsOf(row))) })),
    );
    resealed += rows.length;
  }
}
