import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The policy columns and today's defaults (docs/domain.md, "District policy"), written out here rather
 * than imported: a migration keeps meaning what it meant when it ran.
 */
const COLUMNS: Array<[column: string, defaultValue: string]> = [
  ['max_prepaid_lessons', '60'],
  ['max_prepaid_months', '3'],
  ['max_prepaid_amount_fen', '500000'],
  ['confirm_window_working_days', '7'],
  ['refund_response_working_days', '5'],
  ['settlement_cycle', `'weekly'`],
  ['retention_rate_bp', '2000'],
  ['retention_days', '90'],
  ['guided_prices', `'{}'::jsonb`],
  ['report_due_day', '10'],
  ['latest_offline_end', `'20:30'`],
  ['latest_online_end', `'21:00'`],
  ['subject_approvals_open', 'false'],
  ['guided_price_margin_bp', '1000'],
  ['background_check_months', '12'],
  ['complaint_working_days', '10'],
];
const RISK_THRESHOLDS = `'{"complaints30d": 3, "refundRequests30d": 3, "enrollmentSpikeFactor": 3, "stalledDays": 30, "expiringDays": 30}'::jsonb`;
/** Columns that had a DEFAULT: a new row must inherit, not take it. */
const HAD_DEFAULT = ['guided_prices', 'subject_approvals_open', 'guided_price_margin_bp', 'background_check_months', 'complaint_working_days'];

/**
 * City-wide policy inherited by districts field by field (docs/domain.md, "District policy"): every
 * policy column may be NULL (inherit), a risk threshold absent from `risk_thresholds` inherits; each
 * served city gets a row holding today's defaults. District rows keep every value they had: they
 * override, so nothing in force changes.
 */
export class CityPolicy1765520000000 implements MigrationInterface {
  name = 'CityPolicy1765520000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE district_policies ${COLUMNS.map(([column]) => `ALTER COLUMN ${column} DROP NOT NULL`).join(', ')}`);
    await db.query(`ALTER TABLE district_policies ${HAD_DEFAULT.map((column) => `ALTER COLUMN ${column} DROP DEFAULT`).join(', ')}`);
    await db.query(
      `INSERT INTO district_policies (district_code, ${COLUMNS.map(([column]) => column).join(', ')}, risk_thresholds, updated_at)
       SELECT code, ${COLUMNS.map(([, value]) => value).join(', ')}, ${RISK_THRESHOLDS}, now() FROM districts WHERE city_code IS NULL
       ON CONFLICT (district_code) DO NOTHING`,
    );
  }

  /** Back to one complete row per district: each field as in force (its own, else its city's, else the default), the city rows gone. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `INSERT INTO district_policies (district_code, risk_thresholds, updated_at)
       SELECT d.code, '{}', now() FROM districts d WHERE d.city_code IS NOT NULL ON CONFLICT (district_code) DO NOTHING`,
    );
    const city = `(SELECT c FROM district_policies c JOIN districts d ON c.district_code = d.city_code WHERE d.code = p.district_code AND d.city_code <> d.code)`;
    await db.query(
      `UPDATE district_policies p SET ${COLUMNS.map(([column, value]) => `${column} = coalesce(p.${column}, (${city}).${column}, ${value})`).join(', ')},
         risk_thresholds = ${RISK_THRESHOLDS} || coalesce((${city}).risk_thresholds, '{}') || p.risk_thresholds
       WHERE p.district_code IN (SELECT code FROM districts WHERE city_code IS NOT NULL)`,
    );
    await db.query(`DELETE FROM district_policies WHERE district_code IN (SELECT code FROM districts WHERE city_code IS NULL)`);
    await db.query(`ALTER TABLE district_policies ${COLUMNS.map(([column]) => `ALTER COLUMN ${column} SET NOT NULL`).join(', ')}`);
    await db.query(
      `ALTER TABLE district_policies ${HAD_DEFAULT.map((column) => `ALTER COLUMN ${column} SET DEFAULT ${COLUMNS.find(([name]) => name === column)![1]}`).join(', ')}`,
    );
  }
}
