import { Migration } from '@mikro-orm/migrations';

/**
 * Reporter tokens are random (no longer derived from the complaint's id under a server secret), so
 * a retried submission recovers its token from a copy sealed under its idempotency key, kept for
 * the idempotency window only. Idempotency keys are matched within their client's scope: the rows
 * already there were all filed under the one key space, now the public's.
 */
export class Migration20261201200000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "complaints"."complaint"
         add column "idempotency_scope" text null,
         add column "reporter_token_sealed" bytea null,
         add column "reporter_token_sealed_until" timestamptz null;`,
    );
    this.addSql(`update "complaints"."complaint" set "idempotency_scope" = 'public' where "idempotency_key" is not null;`);
    this.addSql(`alter table "complaints"."complaint" drop constraint if exists "complaint_idempotency_key_key";`);
    this.addSql(
      `create unique index "complaint_idempotency_key_per_scope" on "complaints"."complaint" ("idempotency_scope", "idempotency_key")
         where "idempotency_key" is not null;`,
    );
    this.addSql(
      `create index "complaint_reporter_token_sealed_until_idx" on "complaints"."complaint" ("reporter_token_sealed_until")
         where "reporter_token_sealed_until" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "complaints"."complaint_reporter_token_sealed_until_idx";`);
    this.addSql(`drop index if exists "complaints"."complaint_idempotency_key_per_scope";`);
    this.addSql(`alter table "complaints"."complaint" add constraint "complaint_idempotency_key_key" unique ("idempotency_key");`);
    this.addSql(
      `alter table "complaints"."complaint"
         drop column "reporter_token_sealed_until", drop column "reporter_token_sealed", drop column "idempotency_scope";`,
    );
  }
}
