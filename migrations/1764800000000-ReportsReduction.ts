import { MigrationInterface, QueryRunner } from 'typeorm';

/** Monthly operating reports, and the reduction baselines and daily snapshots per district (docs/domain.md, “Risk and reports”). */
export class ReportsReduction1764800000000 implements MigrationInterface {
  name = 'ReportsReduction1764800000000';

  async up(db: QueryRunner): Promise<void> {
    // One row per institution and month. An 'overdue' row is written by the reports/mark-overdue job and
    // has no figures; the risk rule "overdue report" reads rows with status 'overdue'.
    await db.query(`
      CREATE TABLE monthly_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions(id),
        district_code text NOT NULL,
        month text NOT NULL CONSTRAINT "CHK_MONTHLY_REPORTS_MONTH" CHECK (month ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        students int CHECK (students >= 0),
        new_contracts int CHECK (new_contracts >= 0),
        lessons_delivered int CHECK (lessons_delivered >= 0),
        prepaid_collected_fen bigint CHECK (prepaid_collected_fen >= 0),
        refunds_fen bigint CHECK (refunds_fen >= 0),
        teachers int CHECK (teachers >= 0),
        full_time_teachers int CHECK (full_time_teachers >= 0),
        status text NOT NULL CONSTRAINT "CHK_MONTHLY_REPORTS_STATUS" CHECK (status IN ('filed', 'accepted', 'returned', 'overdue')),
        late boolean NOT NULL DEFAULT false,
        filed_at timestamptz,
        reviewed_at timestamptz,
        reviewer_id uuid,
        review_note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_MONTHLY_REPORTS_INSTITUTION_MONTH" UNIQUE (institution_id, month),
        CONSTRAINT "CHK_MONTHLY_REPORTS_FILED" CHECK (status = 'overdue' OR filed_at IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX "IDX_MONTHLY_REPORTS_DISTRICT_MONTH" ON monthly_reports (district_code, month, status)`);
    await db.query(`CREATE INDEX "IDX_MONTHLY_REPORTS_OVERDUE" ON monthly_reports (institution_id) WHERE status = 'overdue'`);

    await db.query(`
      CREATE TABLE reduction_baselines (
        district_code text PRIMARY KEY REFERENCES districts(code),
        date date NOT NULL,
        subject_offline int NOT NULL CHECK (subject_offline >= 0),
        subject_online int NOT NULL CHECK (subject_online >= 0),
        students int NOT NULL CHECK (students >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE reduction_snapshots (
        district_code text NOT NULL REFERENCES districts(code),
        date date NOT NULL,
        subject_offline int NOT NULL CHECK (subject_offline >= 0),
        subject_online int NOT NULL CHECK (subject_online >= 0),
        students int NOT NULL CHECK (students >= 0),
        PRIMARY KEY (district_code, date)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['reduction_snapshots', 'reduction_baselines', 'monthly_reports']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
