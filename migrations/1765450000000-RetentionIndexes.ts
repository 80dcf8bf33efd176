import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention jobs (libs/core/src/retention) delete Idempotency-Keys older than 30 days and outbox
 * events relayed more than 7 days ago, a batch at a time: each batch finds its rows by these indexes
 * instead of scanning the tables.
 */
export class RetentionIndexes1765450000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX "IDX_IDEMPOTENCY_KEYS_CREATED" ON idempotency_keys (created_at)`);
    await db.query(`CREATE INDEX "IDX_OUTBOX_SENT" ON outbox (sent_at) WHERE sent_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "IDX_OUTBOX_SENT"`);
    await db.query(`DROP INDEX "IDX_IDEMPOTENCY_KEYS_CREATED"`);
  }
}
