import { NodeDirectory, ServiceClient, type ServiceHandle } from '@lapor-hub/lib';
import { scheduleJob, startDatabaseSubgraph, type JobSchedule, type ServiceOptions } from '@lapor-hub/lib/database';
import { createContext } from './context';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './domain/retry';
import { WebhookSecretKeyring, type WebhookSecretKeys } from './domain/secret-sealing';
import type { UrlPolicy } from './domain/url-policy';
import { WebhookDeliverySchema } from './entities/delivery';
import { HubEventSchema } from './entities/hub-event';
import { WebhookSubscriptionSchema } from './entities/subscription';
import { webhooksMigrations } from './migrations';
import { DeliveryWorker, type DeliveryWorkerOptions } from './services/delivery-worker';
import { resealSigningSecrets } from './services/secret-keys';
import { webhooksSubgraph } from './subgraph';

export const DELIVERY_QUEUE = 'webhooks-deliveries';
export const DELIVERY_JOB_SCHEMA = 'webhooks_jobs';

export interface WebhooksServiceOptions extends ServiceOptions {
  /** The agencies subgraph (the node tree), for the access rules. */
  agenciesUrl: string;
  urlPolicy: UrlPolicy;
  /** Seal the subscriptions' signing secrets in the database (`WEBHOOK_SECRET_KEY`, and the keys it replaced). */
  secretKeys: WebhookSecretKeys;
  retry?: Partial<RetryPolicy>;
  /**
   * The rounds that pick up what no event started: due retries after a restart, and a replica's
   * unfinished attempts. pg-boss on a real PostgreSQL (one run per tick across replicas), a timer
   * on the embedded database. Default: off (each process still starts a round on every event and
   * at every retry it scheduled).
   */
  deliveryJob?: JobSchedule;
  worker?: Omit<DeliveryWorkerOptions, 'retry' | 'urls' | 'keyring'>;
}

/** Opens the webhooks database (migrate, re-seal secrets under the current key), starts the delivery worker and serves the subgraph. */
export function startWebhooksService(options: WebhooksServiceOptions): Promise<ServiceHandle> {
  // Events concern regional nodes above all (every submission's): those are kept loaded.
  const directory = new NodeDirectory(new ServiceClient({ name: 'agencies', url: options.agenciesUrl }, 'webhooks', options.secrets), { keepRegionsWarm: true });
  // Loaded while the database migrates; served once both are done.
  const directoryWarm = directory.keepWarm();
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const keyring = new WebhookSecretKeyring(options.secretKeys);
  let worker: DeliveryWorker | null = null;
  return startDatabaseSubgraph({
    ...options,
    definition: webhooksSubgraph,
    database: { schema: 'webhooks', entities: [WebhookSubscriptionSchema, WebhookDeliverySchema, HubEventSchema], migrations: webhooksMigrations(keyring) },
    createContext: (em, viewer) => createContext(em, viewer, { directory, worker: worker!, urlPolicy: options.urlPolicy, retry, keyring }),
    background: async (em) => {
      await directoryWarm;
      await resealSigningSecrets(em(), keyring);
      const started = new DeliveryWorker(em, { ...options.worker, retry, urls: options.urlPolicy, keyring });
      worker = started;
      // What was due when the service stopped goes out now.
      started.start();
      const stopJob = await scheduleJob(options.deliveryJob ?? { mode: 'off' }, {
        queue: DELIVERY_QUEUE,
        jobSchema: DELIVERY_JOB_SCHEMA,
        run: async () => {
          await started.runRounds();
        },
      });
      return async () => {
        await stopJob();
        await started.stop();
      };
    },
  });
}
