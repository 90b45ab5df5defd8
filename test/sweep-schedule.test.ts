import PgBoss from 'pg-boss';
import { SWEEP_JOB_SCHEMA, SWEEP_QUEUE } from '@lapor-hub/complaints/src/services/sweep-schedule';
import { NATIONAL_ID, TestHub } from './support/hub';
import { MUTATIONS, submit } from './support/lifecycle';

// pg-boss schedules the sweep on a PostgreSQL server; the embedded database runs it on a timer.
const onServer = Boolean(process.env.LAPOR_TEST_SERVER_URL);

(onServer ? describe : describe.skip)('the closing sweep as a pg-boss job', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await TestHub.start({ sweep: 'pg-boss' });
  });
  afterAll(() => hub?.stop());

  it('is scheduled once however many replicas start, and its job closes what is due', async () => {
    const replica = await hub.startSubgraph('complaints');
    try {
      const schedules = await hub.sql<{ name: string; cron: string }>('complaints', `select name, cron from ${SWEEP_JOB_SCHEMA}.schedule`);
      expect(schedules).toEqual([{ name: SWEEP_QUEUE, cron: '* * * * *' }]);

      const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
      const complaint = await submit(hub);
      await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1 } }, national);
      await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' } }, national);
      await hub.query(MUTATIONS.followUp, { input: { complaintId: complaint.id, version: 3, body: 'Selesai.' } }, national);
      // As if ten working days passed without a reply.
      await hub.sql('complaints', `update complaints.complaint set closes_at = now() - interval '1 minute' where id = $1`, [complaint.id]);

      const boss = new PgBoss({ connectionString: hub.databases.urls.complaints, schema: SWEEP_JOB_SCHEMA, max: 1 });
      await boss.start();
      try {
        await boss.send(SWEEP_QUEUE, {});
        let status = '';
        for (let attempt = 0; attempt < 60 && status !== 'CLOSED'; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          [{ status }] = await hub.sql<{ status: string }>('complaints', 'select status from complaints.complaint where id = $1', [complaint.id]);
        }
        expect(status).toBe('CLOSED');
      } finally {
        await boss.stop({ graceful: false });
      }
      const [{ closes }] = await hub.sql<{ closes: number }>(
        'complaints',
        `select count(*)::int as closes from complaints.timeline_entry where complaint_id = $1 and action = 'AUTO_CLOSE'`,
        [complaint.id],
      );
      expect(closes).toBe(1);
    } finally {
      await replica.stop();
    }
  });
});
