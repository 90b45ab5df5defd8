import { EntitySchema } from '@mikro-orm/core';

/** Who reported a complaint; read only through the access rules in `access.ts`. */
export class ReporterContact {
  complaintId!: string;
  name: string | null = null;
  email: string | null = null;
  phone: string | null = null;
}

export const ReporterContactSchema = new EntitySchema<ReporterContact>({
  class: ReporterContact,
  schema: 'complaints',
  tableName: 'reporter_contact',
  properties: {
    complaintId: { type: 'uuid', primary: true },
    name: { type: 'string', nullable: true },
    email: { type: 'string', nullable: true },
    phone: { type: 'string', nullable: true },
  },
});
