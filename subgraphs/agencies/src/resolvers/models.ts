import type { Connection } from '@lapor-hub/lib';
import type { Agency } from '../entities/agency';

/** A page of agencies as the resolvers build it (`toConnection`); its total is counted only when asked for. */
export type AgencyPage = Connection<Agency>;
