import { ServiceClient, type ServiceHandle } from '@lapor-hub/lib';
import { startDatabaseSubgraph, type JobSchedule, type ServiceOptions } from '@lapor-hub/lib/database';
import { createContext } from './context';
import { DirectoryClient } from './directory-client';
import { ContactSeal } from './domain/contact-sealing';
import { ComplaintSchema } from './entities/complaint';
import { FollowUpSchema } from './entities/follow-up';
import { ReporterContactSchema } from './entities/reporter-contact';
import { TimelineEntrySchema } from './entities/timeline-entry';
import { scheduleSweep } from './services/sweep-schedule';
import { complaintsSubgraph } from './subgraph';
import { complaintsMigrations } from './migrations';

export interface ComplaintsServiceOptions extends ServiceOptions {
  /** The agencies subgraph, asked about nodes and categories when a complaint is submitted. */
  agenciesUrl: string;
  /** Derives reporter tokens; rotating it invalidates every token already issued. */
  reporterTokenSecret: Uint8Array;
  /** Seals reporters' contact details; losing it loses every contact. */
  reporterContactKey: Uint8Array;
  /** How the closing sweep runs (default: off, e.g. in tests that run it by hand). */
  sweep?: JobSchedule;
}

/** Opens the complaints database (migrate) and serves the subgraph. */
export function startComplaintsService(options: ComplaintsServiceOptions): Promise<ServiceHandle> {
  const contactSeal = new ContactSeal(options.reporterContactKey);
  const deps = {
    directory: new DirectoryClient(new ServiceClient(options.agenciesUrl, 'complaints', options.secrets)),
    reporterTokenSecret: options.reporterTokenSecret,
    contactSeal,
  };
  return startDatabaseSubgraph({
    ...options,
    definition: complaintsSubgraph,
    database: {
      schema: 'complaints',
      entities: [ComplaintSchema, ReporterContactSchema, FollowUpSchema, TimelineEntrySchema],
      migrations: complaintsMigrations(contactSeal),
    },
    createContext: (em, viewer) => createContext(em, viewer, deps),
    background: (em) => scheduleSweep(options.sweep ?? { mode: 'off' }, em),
  });
}
