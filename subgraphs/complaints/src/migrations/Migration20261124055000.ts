import { Migration } from '@mikro-orm/migrations';

/**
 * An inbox's `totalCount` (and its status, overdue and supervisory filters) counted from the index
 * alone: at national volume a busy regency holds tens of thousands of complaints, and counting
 * them through the table read every one of their heap pages on each request.
 */
export class Migration20261124055000 extends Migration {
  override async up(): Promise<void> {
    for (const relation of ['assigned', 'addressed']) {
      this.addSql(`drop index if exists "complaints"."complaint_${relation}_due_idx";`);
      this.addSql(
        `create index "complaint_${relation}_count_idx" on "complaints"."complaint"
          ("${relation}_agency_id", "supervisory", "status", "current_due_at", "confidential");`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const relation of ['assigned', 'addressed']) {
      this.addSql(`drop index if exists "complaints"."complaint_${relation}_count_idx";`);
      this.addSql(`create index "complaint_${relation}_due_idx" on "complaints"."complaint" ("${relation}_agency_id", "current_due_at");`);
    }
  }
}
