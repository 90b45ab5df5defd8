import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, isUuid, sql } from '@lapor-hub/lib';
import { groupBy } from '@lapor-hub/lib/database';

/** An upload as recorded: pending until a submission or follow-up claims it. */
export interface Attachment {
  id: string;
  sha256: string;
  thumbnailSha256: string | null;
  contentType: string;
  size: number;
  filename: string;
  complaintId: string | null;
  followUpId: string | null;
}

interface AttachmentRow {
  id: string;
  sha256: string;
  thumbnail_sha256: string | null;
  content_type: string;
  size: number;
  filename: string;
  complaint_id: string | null;
  follow_up_id: string | null;
}

const COLUMNS = sql.raw('id, sha256, thumbnail_sha256, content_type, size, filename, complaint_id, follow_up_id');

const toAttachment = (row: AttachmentRow): Attachment => ({
  id: row.id,
  sha256: row.sha256,
  thumbnailSha256: row.thumbnail_sha256,
  contentType: row.content_type,
  size: row.size,
  filename: row.filename,
  complaintId: row.complaint_id,
  followUpId: row.follow_up_id,
});

export interface NewUpload {
  id: string;
  uploadTokenHash: string;
  sha256: string;
  thumbnailSha256: string | null;
  contentType: string;
  size: number;
  filename: string;
  uploadedAt: Date;
}

export class AttachmentRepository {
  constructor(private readonly em: EntityManager) {}

  async recordUpload(upload: NewUpload): Promise<void> {
    await execute(
      this.em,
      sql`insert into complaints.attachment (id, upload_token_hash, sha256, thumbnail_sha256, content_type, size, filename, uploaded_at)
          values (${upload.id}, ${upload.uploadTokenHash}, ${upload.sha256}, ${upload.thumbnailSha256}, ${upload.contentType}, ${upload.size}, ${upload.filename}, ${upload.uploadedAt})`,
    );
  }

  /**
   * Claims the pending uploads `ids` of the session `uploadTokenHash` for a complaint (and a
   * follow-up); answers the ids claimed, which miss every one unknown, already claimed or of
   * another session. Rows are locked by the update, so two submissions cannot both claim one.
   */
  async claim(ids: readonly string[], uploadTokenHash: string, owner: { complaintId: string; followUpId: string | null }, at: Date): Promise<string[]> {
    const rows = await execute<{ id: string }>(
      this.em,
      sql`update complaints.attachment set complaint_id = ${owner.complaintId}, follow_up_id = ${owner.followUpId}, claimed_at = ${at}
          where id = any(${sql.textArray(ids.filter(isUuid))}::uuid[]) and complaint_id is null and upload_token_hash = ${uploadTokenHash}
          returning id`,
    );
    return rows.map((row) => row.id);
  }

  /** Each complaint's attachments, the complaint's own and its follow-ups', oldest first. */
  async byComplaint(complaintIds: readonly string[]): Promise<Map<string, Attachment[]>> {
    const rows = await execute<AttachmentRow>(
      this.em,
      sql`select ${COLUMNS} from complaints.attachment where complaint_id = any(${sql.textArray(complaintIds.filter(isUuid))}::uuid[]) order by uploaded_at, id`,
    );
    return groupBy(rows.map(toAttachment), (row) => row.complaintId!);
  }

  /**
   * Removes the uploads never claimed since before `before`; answers the hashes (files and
   * thumbnails) that no remaining upload names, which the storage may then delete.
   */
  async removeStale(before: Date, limit: number): Promise<{ uploads: number; unreferenced: string[] }> {
    const removed = await execute<{ id: string; sha256: string; thumbnail_sha256: string | null }>(
      this.em,
      sql`delete from complaints.attachment where id in (
            select id from complaints.attachment where complaint_id is null and uploaded_at < ${before} order by uploaded_at limit ${limit} for update skip locked
          ) returning id, sha256, thumbnail_sha256`,
    );
    const hashes = [...new Set(removed.flatMap((row) => (row.thumbnail_sha256 ? [row.sha256, row.thumbnail_sha256] : [row.sha256])))];
    if (hashes.length === 0) return { uploads: 0, unreferenced: [] };
    const named = await execute<{ sha256: string }>(
      this.em,
      sql`select distinct h.sha256 from unnest(${sql.textArray(hashes)}::text[]) as h(sha256)
          join complaints.attachment a on a.sha256 = h.sha256 or a.thumbnail_sha256 = h.sha256`,
    );
    const stillNamed = new Set(named.map((row) => row.sha256));
    return { uploads: removed.length, unreferenced: hashes.filter((hash) => !stillNamed.has(hash)) };
  }
}
