import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the risk scan's facts query (libs/oversight/src/risk/risk-facts.repository.ts), whose
 * per-institution subqueries otherwise read these tables whole once per institution: bench/risk measured
 * one batch of 1,000 institutions (of 10,000, with 200,000 contracts) at 397 s before them.
 * - lessons by institution: the latest lesson, and the lessons of the last 30 days;
 * - ledger accounts by institution and code: the custody account and the escrow accounts (the unique
 *   index on (institution_id, code) is partial, WHERE contract_id IS NULL, so it never serves 'escrow'
 *   and the planner cannot prove it for 'custody');
 * - refund requests by institution, in the last 30 days;
 * - payout instructions by institution, and bank statement lines by the payment or payout they matched
 *   (the custody per the bank; the reconciliation's NOT EXISTS probes use it too).
 */
export class RiskIndexes1764900000000 implements MigrationInterface {
  name = 'RiskIndexes1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX "IDX_LESSONS_INSTITUTION" ON lessons (institution_id, starts_at)`);
    await db.query(`CREATE INDEX "IDX_LEDGER_ACCOUNTS_INSTITUTION" ON ledger_accounts (institution_id, code)`);
    await db.query(`CREATE INDEX "IDX_REFUND_REQUESTS_INSTITUTION" ON refund_requests (institution_id, created_at)`);
    await db.query(`CREATE INDEX "IDX_PAYOUT_INSTRUCTIONS_INSTITUTION" ON payout_instructions (institution_id)`);
    await db.query(`CREATE INDEX "IDX_BANK_STATEMENT_LINES_MATCHED" ON bank_statement_lines (matched_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const index of [
      'IDX_BANK_STATEMENT_LINES_MATCHED',
      'IDX_PAYOUT_INSTRUCTIONS_INSTITUTION',
      'IDX_REFUND_REQUESTS_INSTITUTION',
      'IDX_LEDGER_ACCOUNTS_INSTITUTION',
      'IDX_LESSONS_INSTITUTION',
    ]) {
      await db.query(`DROP INDEX "${index}"`);
    }
  }
}
