import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'graphql';
import { requireOfficer, type ServiceHandle, type Viewer } from '@lapor-hub/lib';
import { listLoader, startDatabaseSubgraph, type ServiceOptions, type SubgraphDefinition } from '@lapor-hub/lib/database';
import { migrations } from './migrations';
import { WorkOrderSchema, type WorkOrder, type WorkOrderStatus } from './work-order';

/** The node's SDL, the one it publishes to the hub's registry. */
export const BIMA_PUPR_SDL_PATH = path.resolve(__dirname, '../schema.graphql');
export const BIMA_PUPR_NAMESPACE = 'bimaPupr';
export const BIMA_PUPR_AGENCY_ID = 'region-52.06';

function createContext(em: EntityManager, viewer: Viewer) {
  return {
    viewer,
    em,
    workOrdersByComplaint: listLoader(async (complaintIds) => {
      const orders = await em.find(WorkOrderSchema, { complaintId: { $in: [...complaintIds] } }, { orderBy: { number: 'asc' } });
      const groups = new Map<string, WorkOrder[]>();
      for (const order of orders) groups.set(order.complaintId, [...(groups.get(order.complaintId) ?? []), order]);
      return groups;
    }),
  };
}

type Context = ReturnType<typeof createContext>;

/**
 * Kabupaten Bima's public-works subgraph. A complaint reached it only because the hub let the
 * caller read that complaint, so its orders are shown to that caller; the whole register is for officers.
 */
const definition: SubgraphDefinition = {
  name: BIMA_PUPR_NAMESPACE,
  typeDefs: parse(readFileSync(BIMA_PUPR_SDL_PATH, 'utf8')),
  resolvers: {
    Query: {
      bimaPuprWorkOrders: (_: unknown, args: { status?: WorkOrderStatus | null }, { viewer, em }: Context) => {
        requireOfficer(viewer, 'The work-order register is for officers');
        return em.find(WorkOrderSchema, args.status ? { status: args.status } : {}, { orderBy: { number: 'asc' } });
      },
    },
    Complaint: {
      __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
      bimaPupr: (complaint: { id: string }) => ({ complaintId: complaint.id }),
    },
    BimaPuprComplaint: {
      workOrders: (parent: { complaintId: string }, _: unknown, { workOrdersByComplaint }: Context) => workOrdersByComplaint.load(parent.complaintId),
    },
  },
};

/**
 * Starts the node's subgraph on its own database schema. Every request must carry the hub
 * gateway's credential (verified by lib's subgraph server), whose viewer the resolvers see.
 */
export function startBimaPuprSubgraph(options: ServiceOptions): Promise<ServiceHandle> {
  return startDatabaseSubgraph({
    ...options,
    definition,
    database: { schema: 'bima_pupr', entities: [WorkOrderSchema], migrations },
    createContext,
  });
}
