import { ServiceClient, type ServiceHandle } from '@lapor-hub/lib';
import { HubEventRelay, startDatabaseSubgraph, type HubEventRelayOptions, type JobSchedule, type ServiceOptions } from '@lapor-hub/lib/database';
import { createContext } from './context';
import { DirectoryClient } from './directory-client';
import { ContactSeal } from './domain/contact-sealing';
import { ComplaintSchema } from './entities/complaint';
import { FollowUpSchema } from './entities/follow-up';
import { RatingSchema } from './entities/rating';
import { SupportSchema } from './entities/support';
import { ReporterContactSchema } from './entities/reporter-contact';
import { TimelineEntrySchema } from './entities/timeline-entry';
import { agencyNames } from './notifications/agency-names';
import { startReporterNotifier, type ReporterNotificationsOptions, type ReporterNotifier } from './services/notify-reporters';
import { scheduleSweep } from './services/sweep-schedule';
import { complaintsSubgraph } from './subgraph';
import { complaintsMigrations } from './migrations';

export interface ComplaintsServiceOptions extends ServiceOptions {
  /** The agencies subgraph, asked about nodes and categories when a complaint is submitted. */
  agenciesUrl: string;
  /** Seals reporters' contact details; losing it loses every contact. */
  reporterContactKey: Uint8Array;
  /** Signs evidence links; the gateway that serves them must have the same. */
  attachmentUrlSecret: Uint8Array;
  /** How the closing sweep runs (default: off, e.g. in tests that run it by hand). */
  sweep?: JobSchedule;
  /**
   * How reporters' messages are sent. Without it they are still written to the outbox (for a
   * notifier elsewhere) but not sent, and stop links are refused (tests that do not look at them).
   */
  notifications?: ReporterNotificationsOptions;
  /** The webhooks subgraph, told what happened to complaints (from the outbox, at least once). */
  webhooksUrl: string;
  hubEventRelay?: HubEventRelayOptions;
}

/** Opens the complaints database (migrate), starts the hub event relay and the sweep, and serves the subgraph. */
export function startComplaintsService(options: ComplaintsServiceOptions): Promise<ServiceHandle> {
  const contactSeal = new ContactSeal(options.reporterContactKey);
  const agencies = new ServiceClient({ name: 'agencies', url: options.agenciesUrl }, 'complaints', options.secrets);
  let notifier: ReporterNotifier | null = null;
  const webhooks = new ServiceClient({ name: 'webhooks', url: options.webhooksUrl }, 'complaints', options.secrets);
  let relay: HubEventRelay | null = null;
  const deps = {
    directory: new DirectoryClient(agencies),
    contactSeal,
    attachmentUrlSecret: options.attachmentUrlSecret,
    reporterLinkSecret: options.notifications?.linkSecret ?? null,
    notifyReporters: () => notifier?.kick(),
    hubEvents: { kick: () => relay?.kick() },
  };
  // Loaded while the database migrates; served once both are done.
  const directoryWarm = deps.directory.keepWarm();
  return startDatabaseSubgraph({
    ...options,
    definition: complaintsSubgraph,
    database: {
      schema: 'complaints',
      entities: [ComplaintSchema, ReporterContactSchema, FollowUpSchema, TimelineEntrySchema, RatingSchema, SupportSchema],
      migrations: complaintsMigrations(contactSeal),
    },
    createContext: (em, viewer) => createContext(em, viewer, deps),
    background: async (em) => {
      await directoryWarm;
      const hubEvents = new HubEventRelay(em, 'complaints', webhooks, options.hubEventRelay);
      relay = hubEvents;
      hubEvents.start();
      const stopSweep = await scheduleSweep(options.sweep ?? { mode: 'off' }, em, () => {
        hubEvents.kick();
        deps.notifyReporters();
      });
      const started = options.notifications
        ? await startReporterNotifier(em, { ...options.notifications, contactSeal: deps.contactSeal, agencyNames: (ids) => agencyNames(agencies, ids) })
        : null;
      notifier = started?.notifier ?? null;
      return async () => {
        await stopSweep();
        await started?.stop();
        await hubEvents.stop();
      };
    },
  });
}
