import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The escrow ledger (docs/domain.md, “Escrow ledger”), in the TigerBeetle model: accounts with posted and pending sides,
 * append-only transfers with client-chosen ids, pending transfers posted or voided once.
 */
export class Ledger1764600000000 implements MigrationInterface {
  name = 'Ledger1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ledger_accounts (
        id uuid PRIMARY KEY,
        code text NOT NULL CHECK (code IN ('custody', 'escrow', 'payable', 'reserve', 'refunds')),
        institution_id uuid NOT NULL,
        contract_id uuid,
        debits_posted bigint NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
        credits_posted bigint NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
        debits_pending bigint NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
        credits_pending bigint NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
        -- TigerBeetle's balance flags, enforced by the database itself as the last line of defence.
        debits_must_not_exceed_credits boolean NOT NULL,
        credits_must_not_exceed_debits boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_LEDGER_ACCOUNTS_DEBITS" CHECK (NOT debits_must_not_exceed_credits OR debits_posted + debits_pending <= credits_posted),
        CONSTRAINT "CHK_LEDGER_ACCOUNTS_CREDITS" CHECK (NOT credits_must_not_exceed_debits OR credits_posted + credits_pending <= debits_posted),
        CONSTRAINT "CHK_LEDGER_ACCOUNTS_ESCROW_CONTRACT" CHECK ((code = 'escrow') = (contract_id IS NOT NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX "UQ_LEDGER_ACCOUNTS_INSTITUTION_CODE" ON ledger_accounts (institution_id, code) WHERE contract_id IS NULL`);
    await db.query(`CREATE UNIQUE INDEX "UQ_LEDGER_ACCOUNTS_CONTRACT" ON ledger_accounts (contract_id) WHERE contract_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE ledger_transfers (
        id uuid PRIMARY KEY,
        debit_account_id uuid NOT NULL REFERENCES ledger_accounts(id),
        credit_account_id uuid NOT NULL REFERENCES ledger_accounts(id),
        amount bigint NOT NULL CHECK (amount > 0),
        kind text NOT NULL CHECK (kind IN ('posted', 'pending', 'post_pending', 'void_pending')),
        pending_id uuid REFERENCES ledger_transfers(id),
        code text NOT NULL,
        contract_id uuid,
        reference_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_LEDGER_TRANSFERS_ACCOUNTS" CHECK (debit_account_id <> credit_account_id),
        CONSTRAINT "CHK_LEDGER_TRANSFERS_PENDING_ID" CHECK ((kind IN ('post_pending', 'void_pending')) = (pending_id IS NOT NULL))
      )`);
    // A pending transfer is posted or voided once: a second resolution collides here.
    await db.query(`CREATE UNIQUE INDEX "UQ_LEDGER_TRANSFERS_PENDING_RESOLUTION" ON ledger_transfers (pending_id) WHERE pending_id IS NOT NULL`);
    await db.query(`CREATE INDEX "IDX_LEDGER_TRANSFERS_DEBIT" ON ledger_transfers (debit_account_id)`);
    await db.query(`CREATE INDEX "IDX_LEDGER_TRANSFERS_CREDIT" ON ledger_transfers (credit_account_id)`);
    await db.query(`CREATE INDEX "IDX_LEDGER_TRANSFERS_CONTRACT" ON ledger_transfers (contract_id) WHERE contract_id IS NOT NULL`);
    await db.query(`CREATE TRIGGER ledger_transfers_append_only BEFORE UPDATE OR DELETE ON ledger_transfers FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await db.query(`CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers EXECUTE FUNCTION refuse_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ledger_transfers`);
    await db.query(`DROP TABLE ledger_accounts`);
  }
}
