import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Courses and teachers as the regulations write them (docs/domain.md, "Courses and teachers"):
 *
 * - the closed national list of subject-training subjects (and the non-subject fields), which a
 *   subject-category course must name and a non-subject one must not;
 * - each teacher's background check date (无犯罪记录查询), read by the STAFF_UNCHECKED risk rule;
 * - district policy: whether new subject-category licences are granted at all (双减: closed by default),
 *   the margin allowed over the guided price (basis points), and the age of a background check.
 */
export class SubjectsAndBackgroundChecks1765300000001 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE subjects (
      code text PRIMARY KEY,
      name text NOT NULL UNIQUE,
      category text NOT NULL CHECK (category IN ('subject', 'non_subject')),
      position int NOT NULL UNIQUE
    )`);
    await db.query(`INSERT INTO subjects (code, name, category, position) VALUES
      ('morality_law', '道德与法治', 'subject', 1), ('chinese', '语文', 'subject', 2), ('history', '历史', 'subject', 3),
      ('geography', '地理', 'subject', 4), ('mathematics', '数学', 'subject', 5), ('foreign_language', '外语', 'subject', 6),
      ('physics', '物理', 'subject', 7), ('chemistry', '化学', 'subject', 8), ('biology', '生物', 'subject', 9),
      ('sports', '体育', 'non_subject', 10), ('arts', '文化艺术', 'non_subject', 11), ('science_technology', '科技', 'non_subject', 12)`);
    await db.query(`ALTER TABLE teachers ADD COLUMN background_checked_at date`);
    await db.query(`ALTER TABLE district_policies
      ADD COLUMN subject_approvals_open boolean NOT NULL DEFAULT false,
      ADD COLUMN guided_price_margin_bp int NOT NULL DEFAULT 1000 CHECK (guided_price_margin_bp BETWEEN 0 AND 10000),
      ADD COLUMN background_check_months int NOT NULL DEFAULT 12 CHECK (background_check_months BETWEEN 1 AND 120)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE district_policies DROP COLUMN subject_approvals_open, DROP COLUMN guided_price_margin_bp, DROP COLUMN background_check_months`);
    await db.query(`ALTER TABLE teachers DROP COLUMN background_checked_at`);
    await db.query(`DROP TABLE subjects`);
  }
}
