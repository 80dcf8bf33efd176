import { MigrationInterface, QueryRunner } from 'typeorm';

/** The handling deadline of complaints as district policy (docs/domain.md, "Complaints"), 10 working days by default. */
export class ComplaintWorkingDays1765360000000 implements MigrationInterface {
  name = 'ComplaintWorkingDays1765360000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE district_policies ADD COLUMN complaint_working_days int NOT NULL DEFAULT 10 CHECK (complaint_working_days BETWEEN 1 AND 60)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE district_policies DROP COLUMN complaint_working_days`);
  }
}
