import { csvCell } from '@lapor-hub/gateway/src/csv-export';
import { NATIONAL_ID, TestHub } from './support/hub';
import { MUTATIONS, submit } from './support/lifecycle';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(() => hub?.stop());

async function download(path: string, token?: string): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(new URL(path, hub.gateway.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

/** Splits CSV text into rows of cells (enough for this test's quoting). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(cell), (cell = '');
    else if (char === '\r') continue;
    else if (char === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += char;
  }
  return rows;
}

describe('CSV export', () => {
  it('streams every complaint of a node across pages, with the caller’s access rules applied to each row', async () => {
    const named = await submit(hub, { regionCode: '52.05', title: '=HYPERLINK("http://evil")', reporter: { name: 'Budi, "Pak" RT' } });
    await submit(hub, { regionCode: '52.05', anonymous: true, reporter: { name: 'Rahasia' } });
    for (let i = 0; i < 103; i++) await submit(hub, { regionCode: '52.05', title: `Keluhan ${i}` });
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.05');

    const exported = await download('/export/complaints.csv?agencyId=region-52.05&relation=addressed', admin);
    expect(exported.status).toBe(200);
    expect(exported.type).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(exported.body);
    expect(header).toEqual(expect.arrayContaining(['trackingId', 'status', 'reporterName']));
    const [{ count }] = await hub.sql<{ count: number }>('complaints', `select count(*)::int as count from complaints.complaint where addressed_agency_id = 'region-52.05'`);
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((row) => row[0])).size).toBe(count);
    const column = (name: string) => header.indexOf(name);
    const namedRow = rows.find((row) => row[column('trackingId')] === named.trackingId)!;
    expect(namedRow[column('title')]).toBe(`'=HYPERLINK("http://evil")`);
    expect(namedRow[column('reporterName')]).toBe('Budi, "Pak" RT');
    const anonymousRows = rows.filter((row) => row[column('anonymous')] === 'true');
    expect(anonymousRows).toHaveLength(1);
    expect(anonymousRows[0][column('reporterName')]).toBe('');
    expect(exported.body).not.toContain('Rahasia');
  });

  it('refuses the public and other nodes', async () => {
    expect((await download('/export/complaints.csv?agencyId=region-52.05')).status).toBe(401);
    const sibling = await download('/export/complaints.csv?agencyId=region-52.05', await hub.token('AGENCY_ADMIN', 'region-52.01'));
    expect(sibling.status).toBe(403);
    expect(JSON.parse(sibling.body).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await download('/export/complaints.csv', await hub.token('NATIONAL_ADMIN', NATIONAL_ID))).status).toBe(400);
  });

  it('exports the rankings for the dashboard', async () => {
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const complaint = await submit(hub, { regionCode: '52.05' });
    await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1 } }, national);
    await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 2, agencyId: 'region-52.05' } }, national);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const exported = await download(`/export/rankings.csv?from=${from}&to=${to}`, await hub.token('DASHBOARD', NATIONAL_ID));
    expect(exported.status).toBe(200);
    expect(parseCsv(exported.body)).toEqual([
      ['ranking', 'rank', 'agencyId', 'agency', 'kind', 'forwarded', 'closed', 'completionRate'],
      ['regenciesAndCities', '1', 'region-52.05', 'Kabupaten Dompu', 'REGENCY', '1', '0', '0'],
    ]);
  });

  it('quotes and defuses cells', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('+62812')).toBe("'+62812");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(null)).toBe('');
  });
});
