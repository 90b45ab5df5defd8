import { Migration } from '@mikro-orm/migrations';

/**
 * Evidence. The gateway stores an upload's bytes (content-addressed) and records it here as
 * pending, bound to its upload session (the hash of the uploader's upload token); a submission or
 * follow-up claims it by setting `complaint_id` (and `follow_up_id`) in its own transaction, so
 * an upload is claimed once. Pending uploads older than a day are removed by the gateway's sweep
 * through `removeStaleAttachmentUploads` (partial index on the pending ones by age).
 */
export class Migration20261201210000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table complaints.attachment (
        id uuid primary key,
        upload_token_hash text not null,
        sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
        thumbnail_sha256 text null check (thumbnail_sha256 ~ '^[0-9a-f]{64}$'),
        content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
        size integer not null check (size > 0),
        filename text not null,
        uploaded_at timestamptz not null,
        complaint_id uuid null,
        follow_up_id uuid null,
        claimed_at timestamptz null
      );`);
    this.addSql(`create index attachment_complaint_idx on complaints.attachment (complaint_id, uploaded_at) where complaint_id is not null;`);
    this.addSql(`create index attachment_pending_idx on complaints.attachment (uploaded_at) where complaint_id is null;`);
    this.addSql(`create index attachment_sha256_idx on complaints.attachment (sha256);`);
    this.addSql(`create index attachment_thumbnail_idx on complaints.attachment (thumbnail_sha256) where thumbnail_sha256 is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table complaints.attachment;`);
  }
}
