import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every timestamp column that had DEFAULT now(): from now on the application's Clock stamps it. */
const STAMPED_COLUMNS: Array<[table: string, column: string]> = [
  ['alerts', 'created_at'],
  ['audit_log', 'at'],
  ['bank_clients', 'created_at'],
  ['bank_statement_lines', 'created_at'],
  ['calendar_years', 'updated_at'],
  ['complaint_replies', 'at'],
  ['complaints', 'created_at'],
  ['complaints', 'updated_at'],
  ['consumptions', 'created_at'],
  ['contracts', 'created_at'],
  ['courses', 'created_at'],
  ['district_policies', 'updated_at'],
  ['idempotency_keys', 'created_at'],
  ['institution_events', 'at'],
  ['institutions', 'created_at'],
  ['institutions', 'updated_at'],
  ['ledger_accounts', 'created_at'],
  ['ledger_transfers', 'created_at'],
  ['lessons', 'created_at'],
  ['monthly_reports', 'created_at'],
  ['notifications', 'created_at'],
  ['outbox', 'created_at'],
  ['payments', 'created_at'],
  ['payout_instructions', 'created_at'],
  ['reduction_baselines', 'updated_at'],
  ['refund_requests', 'created_at'],
  ['risk_flags', 'opened_at'],
  ['settlements', 'created_at'],
  ['teachers', 'created_at'],
  ['users', 'created_at'],
];

/**
 * One time model (docs/architecture.md, "Time"): business rules read these columns (payments of the
 * last 7 days, complaints of the last 30, contracts signed in a month…), so the database's own clock
 * must not write them. With the defaults gone, an insert that forgets its timestamp fails loudly
 * (NOT NULL) instead of quietly stamping the server's wall-clock time.
 *
 * ledger_apply takes the instant of its transfers as its tenth argument for the same reason.
 */
export class BusinessTime1765100000000 implements MigrationInterface {
  name = 'BusinessTime1765100000000';

  async up(db: QueryRunner): Promise<void> {
    for (const [table, column] of STAMPED_COLUMNS) await db.query(`ALTER TABLE ${table} ALTER COLUMN ${column} DROP DEFAULT`);
    await this.rewriteLedgerApply(db, [
      ['p_reference_ids uuid[])', 'p_reference_ids uuid[], p_at timestamptz)'],
      ['contract_id, reference_id)\n          SELECT * FROM unnest(', 'contract_id, reference_id, created_at)\n          SELECT *, p_at FROM unnest('],
    ]);
  }

  async down(db: QueryRunner): Promise<void> {
    await this.rewriteLedgerApply(db, [
      ['p_reference_ids uuid[], p_at timestamp with time zone)', 'p_reference_ids uuid[])'],
      ['contract_id, reference_id, created_at)\n          SELECT *, p_at FROM unnest(', 'contract_id, reference_id)\n          SELECT * FROM unnest('],
    ]);
    for (const [table, column] of STAMPED_COLUMNS) await db.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT now()`);
  }

  /**
   * Redefines ledger_apply from its definition in the database (migration 1765000000000 holds it in
   * full), changing only the given passages; each must occur exactly once, or the migration stops.
   */
  private async rewriteLedgerApply(db: QueryRunner, edits: Array<[from: string, to: string]>): Promise<void> {
    const [{ definition, signature }] = await db.query(
      `SELECT pg_get_functiondef(p.oid) AS definition, p.oid::regprocedure::text AS signature FROM pg_proc p WHERE p.proname = 'ledger_apply'`,
    );
    let rewritten: string = definition;
    for (const [from, to] of edits) {
      if (rewritten.split(from).length !== 2) throw new Error(`ledger_apply: expected one occurrence of ${JSON.stringify(from)}`);
      rewritten = rewritten.replace(from, to);
    }
    await db.query(`DROP FUNCTION ${signature}`);
    await db.query(rewritten);
  }
}
