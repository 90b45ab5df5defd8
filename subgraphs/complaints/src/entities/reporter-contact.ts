import { EntitySchema } from '@mikro-orm/core';

/**
 * Who reported a complaint, sealed (see `ContactSeal`): the database holds only ciphertext, opened
 * in the service for the callers that the access rules in `access.ts` allow.
 */
export class ReporterContact {
  complaintId!: string;
  sealed!: Buffer;
}

export const ReporterContactSchema = new EntitySchema<ReporterContact>({
  class: ReporterContact,
  schema: 'complaints',
  tableName: 'reporter_contact',
  properties: {
    complaintId: { type: 'uuid', primary: true },
    sealed: { type: 'blob' },
  },
});
