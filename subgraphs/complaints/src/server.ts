import { secretFromEnv, ServiceClient, type ServiceHandle } from '@lapor-hub/lib';
import { startDatabaseSubgraph, type JobSchedule, type ServiceOptions } from '@lapor-hub/lib/database';
import { createContext } from './context';
import { DirectoryClient } from './directory-client';
import { ContactSeal, reporterContactSecretFromEnv } from './domain/contact-sealing';
import { ComplaintSchema } from './entities/complaint';
import { FollowUpSchema } from './entities/follow-up';
import { ReporterContactSchema } from './entities/reporter-contact';
import { TimelineEntrySchema } from './entities/timeline-entry';
import { scheduleSweep } from './services/sweep-schedule';
import { complaintsSubgraph } from './subgraph';
import { migrations } from './migrations';

export interface ComplaintsServiceOptions extends ServiceOptions {
  /** The agencies subgraph, asked about nodes and categories when a complaint is submitted. */
  agenciesUrl: string;
  /** Derives reporter tokens; rotating it invalidates every token already issued. */
  reporterTokenSecret: Uint8Array;
  /** How the closing sweep runs (default: off, e.g. in tests that run it by hand). */
  sweep?: JobSchedule;
}

/** `REPORTER_TOKEN_SECRET`, from which reporter tokens are derived (a fixed value in development). */
export function reporterTokenSecretFromEnv(): Uint8Array {
  return secretFromEnv('REPORTER_TOKEN_SECRET', 'lapor-hub-development-reporter-secret-change-me');
}

/** Opens the complaints database (migrate) and serves the subgraph. */
export function startComplaintsService(options: ComplaintsServiceOptions): Promise<ServiceHandle> {
  const deps = {
    directory: new DirectoryClient(new ServiceClient(options.agenciesUrl, 'complaints', options.secrets)),
    reporterTokenSecret: options.reporterTokenSecret,
    contactSeal: new ContactSeal(reporterContactSecretFromEnv()),
  };
  return startDatabaseSubgraph({
    ...options,
    definition: complaintsSubgraph,
    database: {
      schema: 'complaints',
      entities: [ComplaintSchema, ReporterContactSchema, FollowUpSchema, TimelineEntrySchema],
      migrations,
    },
    createContext: (em, viewer) => createContext(em, viewer, deps),
    background: (em) => scheduleSweep(options.sweep ?? { mode: 'off' }, em),
  });
}
