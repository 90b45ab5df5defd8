import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export type WorkOrderStatus = 'OPEN' | 'SCHEDULED' | 'DONE';

/** A public-works order, linked to the LAPOR! complaint it answers by the complaint's id. */
export const WorkOrderSchema = defineEntity({
  name: 'WorkOrder',
  schema: 'bima_pupr',
  tableName: 'work_order',
  properties: {
    number: p.string().primary(),
    complaintId: p.uuid(),
    status: p.string().$type<WorkOrderStatus>(),
    scheduledFor: p.string().nullable(),
  },
});

export type WorkOrder = InferEntity<typeof WorkOrderSchema>;
