import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError, parse } from 'graphql';
import { startNodeSubgraph, type HubViewer, type SubgraphHandle } from '@lapor-hub/node-kit';
import { listLoader, openDatabase } from '@lapor-hub/lib/database';
import { migrations } from './migrations';
import { WorkOrderSchema, type WorkOrder, type WorkOrderStatus } from './work-order';

/** The node's SDL, the one it publishes to the hub's registry. */
export const BIMA_PUPR_SDL_PATH = path.resolve(__dirname, '../schema.graphql');
export const BIMA_PUPR_NAMESPACE = 'bimaPupr';
export const BIMA_PUPR_AGENCY_ID = 'region-52.06';

function createContext(em: EntityManager, viewer: HubViewer | null) {
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
const subgraph = {
  namespace: BIMA_PUPR_NAMESPACE,
  typeDefs: parse(readFileSync(BIMA_PUPR_SDL_PATH, 'utf8')),
  resolvers: {
    Query: {
      bimaPuprWorkOrders: (_: unknown, args: { status?: WorkOrderStatus | null }, { viewer, em }: Context) => {
        if (!viewer) throw new GraphQLError('The work-order register is for officers', { extensions: { code: 'UNAUTHENTICATED' } });
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

export interface BimaPuprOptions {
  databaseUrl: string;
  poolMax?: number;
  /** The hub gateway's JWKS (`https://<hub>/.well-known/jwks.json`): the only thing of the hub's the node holds. */
  gatewayJwksUrl: string;
  port?: number;
}

/**
 * Starts the node's subgraph on its own database schema, with node-kit: every request must carry
 * the hub gateway's credential for the namespace `bimaPupr`, verified against the gateway's
 * published keys; the resolvers see the viewer it names.
 */
export async function startBimaPuprSubgraph(options: BimaPuprOptions): Promise<SubgraphHandle> {
  const orm = await openDatabase({ clientUrl: options.databaseUrl, poolMax: options.poolMax, schema: 'bima_pupr', entities: [WorkOrderSchema], migrations });
  try {
    return await startNodeSubgraph({
      ...subgraph,
      jwksUrl: options.gatewayJwksUrl,
      port: options.port,
      createContext: (viewer) => createContext(orm.em.fork(), viewer),
      checkHealth: async () => void (await orm.em.getConnection().execute('select 1')),
      onStop: () => orm.close(),
    });
  } catch (error) {
    await orm.close();
    throw error;
  }
}
