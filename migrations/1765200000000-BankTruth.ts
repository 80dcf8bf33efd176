import { MigrationInterface, QueryRunner } from 'typeorm';
// Stable by contract: ledger account ids are derived with it and stored, so it never changes.
import { nameBasedUuid } from '../libs/core/src/ids/name-based-uuid';

/**
 * Money is believed only from the bank (docs/architecture.md, "Money from the bank"):
 *
 * - payments become payment orders: a parent opens one (pending, with a reference and an expiry) and
 *   escrow is credited only when the bank confirms a receipt carrying that reference (confirmed), or
 *   refunded at once when the money arrives for an expired order or an institution not in good standing
 *   (refunded). A receipt's bank reference is unique per bank client. The parent-supplied external_ref
 *   is gone: old rows keep it as their reference and bank reference.
 * - a `payouts` account per institution holds settled money until the bank executes the payout, so
 *   custody always equals what the bank holds; pending institution payouts of the old model (which had
 *   already left custody at settlement) are moved back into custody and onto `payouts`.
 * - payout instructions may be cancelled (money back to payable on revocation or closure), and a
 *   regulator's final release of a revoked institution's money is an instruction of its own kind.
 * - a reserve tranche records what refund orders clawed back from it.
 * - refund requests record how they came: a parent's request, a regulator's order (with its claw-back
 *   of confirmed lessons), or the automatic refund of a revoked or closed institution.
 * - an alert may be about money the platform could not move (a refund the sweep could not make).
 * - an alert may be about money the platform could not move (a refund the sweep could not make).
 * - notifications have a title, a body and data (e.g. the consumption a parent is asked to confirm),
 *   and may come from any source id (an outbox event, a consumption).
 */
export class BankTruth1765200000000 implements MigrationInterface {
  name = 'BankTruth1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE payments
        ADD COLUMN reference text,
        ADD COLUMN status text,
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN bank_client_id uuid REFERENCES bank_clients(id),
        ADD COLUMN bank_ref text,
        ADD COLUMN received_at timestamptz,
        ADD COLUMN settled_at timestamptz`);
    await db.query(
      `UPDATE payments SET reference = external_ref, status = 'confirmed', expires_at = created_at, bank_ref = external_ref, received_at = created_at, settled_at = created_at`,
    );
    await db.query(`
      ALTER TABLE payments
        ALTER COLUMN reference SET NOT NULL,
        ALTER COLUMN status SET NOT NULL,
        ALTER COLUMN expires_at SET NOT NULL,
        ADD CONSTRAINT "CHK_PAYMENTS_STATUS" CHECK (status IN ('pending', 'expired', 'confirmed', 'refunded')),
        ADD CONSTRAINT "CHK_PAYMENTS_RECEIVED" CHECK ((status IN ('confirmed', 'refunded')) = (received_at IS NOT NULL)),
        DROP COLUMN external_ref`);
    await db.query(`CREATE UNIQUE INDEX "UQ_PAYMENTS_REFERENCE" ON payments (reference)`);
    await db.query(
      `CREATE UNIQUE INDEX "UQ_PAYMENTS_BANK_REF" ON payments (bank_client_id, bank_ref) WHERE bank_ref IS NOT NULL AND bank_client_id IS NOT NULL`,
    );
    await db.query(`CREATE INDEX "IDX_PAYMENTS_OPEN" ON payments (expires_at) WHERE status = 'pending'`);

    await db.query(`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_code_check`);
    await db.query(
      `ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_code_check CHECK (code IN ('custody', 'escrow', 'payable', 'reserve', 'refunds', 'payouts'))`,
    );
    // The payouts account of every institution that has accounts, with the id LedgerService derives.
    const institutions: Array<{ institutionId: string }> = await db.query(
      `SELECT institution_id AS "institutionId" FROM ledger_accounts WHERE code = 'custody'`,
    );
    const payoutsOf = (institutionId: string) => nameBasedUuid('ledger-account', institutionId, 'payouts');
    await db.query(
      `INSERT INTO ledger_accounts (id, code, institution_id, debits_must_not_exceed_credits, credits_must_not_exceed_debits, created_at)
       SELECT id, 'payouts', institution_id, true, false, now() FROM unnest($1::uuid[], $2::uuid[]) AS a(id, institution_id)`,
      [institutions.map((row) => payoutsOf(row.institutionId)), institutions.map((row) => row.institutionId)],
    );
    const pending: Array<{ id: string; institutionId: string; amountFen: number }> = await db.query(
      `SELECT id, institution_id AS "institutionId", amount_fen AS "amountFen" FROM payout_instructions WHERE kind = 'institution_payout' AND status = 'pending'`,
    );
    if (pending.length) {
      await db.query(
        `SELECT ledger_apply($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::bigint[], $6::uuid[], $7::text[], $8::uuid[], $9::uuid[], now())`,
        [
          pending.map((payout) => nameBasedUuid('payout-moved', payout.id)),
          pending.map(() => 'posted'),
          pending.map((payout) => nameBasedUuid('ledger-account', payout.institutionId, 'custody')),
          pending.map((payout) => payoutsOf(payout.institutionId)),
          pending.map((payout) => payout.amountFen),
          pending.map(() => null),
          pending.map(() => 'payout_moved'),
          pending.map(() => null),
          pending.map((payout) => payout.id),
        ],
      );
    }

    await db.query(`ALTER TABLE payout_instructions DROP CONSTRAINT payout_instructions_kind_check`);
    await db.query(`ALTER TABLE payout_instructions DROP CONSTRAINT payout_instructions_status_check`);
    await db.query(`
      ALTER TABLE payout_instructions
        ADD CONSTRAINT payout_instructions_kind_check CHECK (kind IN ('institution_payout', 'parent_refund', 'final_release')),
        ADD CONSTRAINT payout_instructions_status_check CHECK (status IN ('pending', 'executed', 'cancelled')),
        ADD COLUMN cancelled_at timestamptz`);

    await db.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check`);
    await db.query(`ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('risk_red', 'reconciliation', 'money'))`);

    await db.query(
      `ALTER TABLE reserve_tranches ADD COLUMN clawed_back_fen bigint NOT NULL DEFAULT 0 CHECK (clawed_back_fen >= 0 AND clawed_back_fen <= amount_fen)`,
    );

    await db.query(`
      ALTER TABLE refund_requests
        ADD COLUMN kind text NOT NULL DEFAULT 'request' CHECK (kind IN ('request', 'order', 'automatic')),
        ADD COLUMN ordered_by uuid REFERENCES users(id),
        ADD COLUMN complaint_id uuid,
        ADD COLUMN clawback_lessons int NOT NULL DEFAULT 0 CHECK (clawback_lessons >= 0),
        ADD COLUMN clawback_fen bigint NOT NULL DEFAULT 0 CHECK (clawback_fen >= 0)`);
    await db.query(`UPDATE refund_requests SET kind = 'automatic' WHERE reason = 'licence revoked or institution closed'`);
    await db.query(`ALTER TABLE refund_requests ALTER COLUMN kind DROP DEFAULT`);

    await db.query(`ALTER TABLE notifications RENAME COLUMN message TO body`);
    await db.query(`ALTER TABLE notifications RENAME COLUMN source_event_id TO source_id`);
    await db.query(`ALTER TABLE notifications ADD COLUMN title text, ADD COLUMN data jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`UPDATE notifications SET title = kind`);
    await db.query(`ALTER TABLE notifications ALTER COLUMN title SET NOT NULL, ALTER COLUMN data DROP DEFAULT`);
    await db.query(`CREATE INDEX "IDX_NOTIFICATIONS_UNREAD" ON notifications (user_id, created_at DESC) WHERE read_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "IDX_NOTIFICATIONS_UNREAD"`);
    await db.query(`ALTER TABLE notifications DROP COLUMN title, DROP COLUMN data`);
    await db.query(`ALTER TABLE notifications RENAME COLUMN source_id TO source_event_id`);
    await db.query(`ALTER TABLE notifications RENAME COLUMN body TO message`);
    await db.query(
      `ALTER TABLE refund_requests DROP COLUMN kind, DROP COLUMN ordered_by, DROP COLUMN complaint_id, DROP COLUMN clawback_lessons, DROP COLUMN clawback_fen`,
    );
    await db.query(`ALTER TABLE reserve_tranches DROP COLUMN clawed_back_fen`);
    // Payout instructions and ledger accounts of the new kinds cannot be turned back into the old model's.
    throw new Error('BankTruth1765200000000 cannot be reverted past this point: restore a backup taken before it.');
  }
}
