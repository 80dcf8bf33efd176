import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complaints fair to both sides (docs/domain.md, "Complaints"): a regulator may verify a complaint, the
 * institution answers it, each has a handling deadline, and a parent's complaints of a day are counted.
 */
export class ComplaintHandling1765350000000 implements MigrationInterface {
  name = 'ComplaintHandling1765350000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE complaints DROP CONSTRAINT IF EXISTS complaints_status_check`);
    await db.query(
      `ALTER TABLE complaints ADD CONSTRAINT complaints_status_check CHECK (status IN ('open', 'in_progress', 'verified', 'resolved', 'dismissed'))`,
    );
    await db.query(
      `ALTER TABLE complaints ADD COLUMN verified_at timestamptz, ADD COLUMN due_on date, ADD COLUMN answer text, ADD COLUMN answered_at timestamptz`,
    );
    await db.query(`CREATE INDEX "IDX_COMPLAINTS_PARENT_DAY" ON complaints (parent_user_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "IDX_COMPLAINTS_PARENT_DAY"`);
    await db.query(`ALTER TABLE complaints DROP COLUMN verified_at, DROP COLUMN due_on, DROP COLUMN answer, DROP COLUMN answered_at`);
    await db.query(`ALTER TABLE complaints DROP CONSTRAINT complaints_status_check`);
    await db.query(`ALTER TABLE complaints ADD CONSTRAINT complaints_status_check CHECK (status IN ('open', 'in_progress', 'resolved', 'dismissed'))`);
  }
}
