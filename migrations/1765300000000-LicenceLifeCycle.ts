import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The licence life cycle as the penalty rules have it (docs/domain.md, "Licences"):
 *
 * - a new status `enrolment_stopped` (停止招生), which still holds a licence number;
 * - `closed_by_order`: a closure ordered by the regulator stays black, one at the institution's own
 *   request shows with no list colour;
 * - a pending renewal (`renewal_applied_at`, `renewal_valid_years`) on the institution's row: at most
 *   one at a time, cleared when granted, refused or deemed granted.
 */
export class LicenceLifeCycle1765300000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE institutions DROP CONSTRAINT IF EXISTS "institutions_status_check"`);
    await db.query(`ALTER TABLE institutions DROP CONSTRAINT "CHK_INSTITUTIONS_LICENCE"`);
    await db.query(`ALTER TABLE institutions ADD CONSTRAINT "CHK_INSTITUTIONS_STATUS"
      CHECK (status IN ('draft', 'submitted', 'returned', 'rejected', 'licensed', 'suspended', 'enrolment_stopped', 'revoked', 'expired', 'closed'))`);
    await db.query(`ALTER TABLE institutions ADD CONSTRAINT "CHK_INSTITUTIONS_LICENCE"
      CHECK (status NOT IN ('licensed', 'suspended', 'enrolment_stopped', 'expired') OR licence_number IS NOT NULL)`);
    await db.query(`ALTER TABLE institutions ADD COLUMN closed_by_order boolean NOT NULL DEFAULT false,
      ADD COLUMN renewal_applied_at timestamptz, ADD COLUMN renewal_valid_years int CHECK (renewal_valid_years BETWEEN 1 AND 5)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE institutions DROP COLUMN closed_by_order, DROP COLUMN renewal_applied_at, DROP COLUMN renewal_valid_years`);
    await db.query(`ALTER TABLE institutions DROP CONSTRAINT "CHK_INSTITUTIONS_LICENCE", DROP CONSTRAINT "CHK_INSTITUTIONS_STATUS"`);
    await db.query(`ALTER TABLE institutions ADD CONSTRAINT "CHK_INSTITUTIONS_LICENCE"
      CHECK (status NOT IN ('licensed', 'suspended', 'expired') OR licence_number IS NOT NULL)`);
    await db.query(`ALTER TABLE institutions ADD CONSTRAINT "institutions_status_check"
      CHECK (status IN ('draft', 'submitted', 'returned', 'rejected', 'licensed', 'suspended', 'revoked', 'expired', 'closed'))`);
  }
}
