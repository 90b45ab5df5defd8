import { NodeDirectory, ServiceClient, type ServiceHandle } from '@lapor-hub/lib';
import { HubEventRelay, scheduleJob, startDatabaseSubgraph, type HubEventRelayOptions, type JobSchedule, type ServiceOptions } from '@lapor-hub/lib/database';
import { ComplaintsClient } from './complaints-client';
import { createContext } from './context';
import { EscalationSchema } from './entities/escalation';
import { OutboxEventSchema } from './entities/outbox-event';
import { escalationSubgraph } from './subgraph';
import { migrations } from './migrations';
import { OutboxRelay, type RelayOptions } from './services/outbox-relay';
import { escalateBreaches, reportOverdueEscalations } from './services/sla-sweep';

export const SLA_SWEEP_QUEUE = 'escalation-sla-breaches';
export const SLA_JOB_SCHEMA = 'escalation_jobs';

export interface EscalationServiceOptions extends ServiceOptions {
  /** The agencies subgraph (the node tree) and the complaints subgraph (complaints, the calendar). */
  agenciesUrl: string;
  complaintsUrl: string;
  /** How the SLA-breach sweep runs (default: off, e.g. in tests that run it by hand). */
  slaSweep?: JobSchedule;
  relay?: RelayOptions;
  /** The webhooks subgraph, told what happened to escalations (from the outbox, at least once). */
  webhooksUrl: string;
  hubEventRelay?: HubEventRelayOptions;
}

/** Opens the escalation database (migrate), starts the outbox relays and serves the subgraph. */
export function startEscalationService(options: EscalationServiceOptions): Promise<ServiceHandle> {
  const directory = new NodeDirectory(new ServiceClient({ name: 'agencies', url: options.agenciesUrl }, 'escalation', options.secrets));
  const complaintsClient = new ComplaintsClient(new ServiceClient({ name: 'complaints', url: options.complaintsUrl }, 'escalation', options.secrets));
  const webhooks = new ServiceClient({ name: 'webhooks', url: options.webhooksUrl }, 'escalation', options.secrets);
  let relay: OutboxRelay | null = null;
  let hubEvents: HubEventRelay | null = null;
  return startDatabaseSubgraph({
    ...options,
    definition: escalationSubgraph,
    database: { schema: 'escalation', entities: [EscalationSchema, OutboxEventSchema], migrations },
    createContext: (em, viewer) => createContext(em, viewer, { directory, complaintsClient, relay: relay!, hubEvents: { kick: () => hubEvents?.kick() } }),
    background: async (em) => {
      relay = new OutboxRelay(em, complaintsClient, options.relay);
      relay.start();
      const events = new HubEventRelay(em, 'escalation', webhooks, options.hubEventRelay);
      hubEvents = events;
      events.start();
      const stopSweep = await scheduleJob(options.slaSweep ?? { mode: 'off' }, {
        queue: SLA_SWEEP_QUEUE,
        jobSchema: SLA_JOB_SCHEMA,
        run: async () => {
          // First what needs no other service: a complaints service that is down must not hold it back.
          await reportOverdueEscalations(em());
          events.kick();
          await escalateBreaches(em(), complaintsClient, directory);
          events.kick();
        },
      });
      return async () => {
        await stopSweep();
        await relay?.stop();
        await events.stop();
      };
    },
  });
}
