import type { Client } from 'pg';
import { ContactSeal } from '@lapor-hub/complaints/src/domain/contact-sealing';
import { secretsFromEnv } from '@lapor-hub/lib';
import { FIRST_NAMES, LAST_NAMES } from '../nation';
import { copySealedContacts } from './copy';

/**
 * Rows derived from the complaints once they are in, made by the server in one statement each (a
 * sequential scan, so in submission order too); returns how many rows each made.
 */

/** One SUBMIT timeline entry per complaint. */
export async function insertSubmitEntries(client: Client): Promise<number> {
  const result = await client.query(`
    insert into complaints.timeline_entry (id, complaint_id, action, from_status, to_status, actor_kind, agency_id, note, at)
    select gen_random_uuid(), c.id, 'SUBMIT', null, 'SUBMITTED', 'PUBLIC', c.addressed_agency_id, 'Submitted via ' || c.channel, c.submitted_at
    from complaints.complaint c`);
  return result.rowCount ?? 0;
}

/** The follow-up text of every followed-up complaint. */
export async function insertFollowUps(client: Client): Promise<number> {
  const result = await client.query(`
    insert into complaints.follow_up (id, complaint_id, agency_id, author_role, body, posted_at)
    select gen_random_uuid(), c.id, c.assigned_agency_id, (array['LIAISON_OFFICER','LIAISON_OFFICER','AGENCY_ADMIN','AGENCY_SYSTEM'])[1 + (hashtext(c.id::text) & 3)],
           'Terima kasih atas laporan Anda. Laporan telah kami tindak lanjuti bersama unit terkait dan petugas sudah meninjau lokasi.',
           c.followed_up_at
    from complaints.complaint c where c.followed_up_at is not null`);
  return result.rowCount ?? 0;
}

/**
 * A reporter contact for 60% of the complaints. Names are drawn in SQL; each contact is then sealed
 * here, as the complaints service seals it (the key never reaches the database), and copied in.
 */
export async function sealContacts(client: Client): Promise<number> {
  await client.query(
    `create temp table generated_contact as
     select c.id as complaint_id, n.first || ' ' || n.last as name,
            case when h & 4 = 0 then lower(n.first) || '.' || lower(n.last) || (h & 255) || '@gmail.com' end as email,
            case when h & 8 = 0 then '+628' || lpad((h::bigint * 7919 % 10000000000)::text, 10, '0') end as phone
     from complaints.complaint c
     cross join lateral (select hashtext(c.id::text) & 2147483647 as h) hashed
     cross join lateral (select ($1::text[])[1 + h % cardinality($1::text[])] as first,
                                ($2::text[])[1 + (h >> 8) % cardinality($2::text[])] as last) n
     where h % 10 < 6`,
    [FIRST_NAMES, LAST_NAMES],
  );
  const seal = new ContactSeal(secretsFromEnv(['REPORTER_CONTACT_KEY'], process.env).REPORTER_CONTACT_KEY);
  let sealed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await client.query<{ complaint_id: string; name: string; email: string | null; phone: string | null }>(
      `select complaint_id, name, email, phone from generated_contact where complaint_id > $1 order by complaint_id limit 50000`,
      [after],
    );
    if (rows.length === 0) break;
    await copySealedContacts(client, rows.map((row) => ({ complaintId: row.complaint_id, sealed: seal.seal(row.complaint_id, row) })));
    sealed += rows.length;
    after = rows[rows.length - 1].complaint_id;
  }
  await client.query(`drop table generated_contact`);
  return sealed;
}
