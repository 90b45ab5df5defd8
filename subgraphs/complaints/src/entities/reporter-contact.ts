import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * Who reported a complaint, sealed (see `ContactSeal`): the database holds only ciphertext, opened
 * in the service for the callers that the access rules in `access.ts` allow.
 */
export const ReporterContactSchema = defineEntity({
  name: 'ReporterContact',
  schema: 'complaints',
  tableName: 'reporter_contact',
  properties: {
    complaintId: p.uuid().primary(),
    sealed: p.blob().$type<Buffer>(),
  },
});

export type ReporterContact = InferEntity<typeof ReporterContactSchema>;
