import { MigrationInterface, QueryRunner } from 'typeorm';

/** Contracts, payments, lessons, consumptions, refunds, settlements, bank instructions, idempotency keys. */
export class Tuition1764700000000 implements MigrationInterface {
  name = 'Tuition1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY,
        parent_user_id uuid NOT NULL REFERENCES users(id),
        institution_id uuid NOT NULL REFERENCES institutions(id),
        course_id uuid NOT NULL REFERENCES courses(id),
        district_code text NOT NULL,
        student_name text NOT NULL,
        lessons int NOT NULL CHECK (lessons > 0),
        lesson_price_fen bigint NOT NULL CHECK (lesson_price_fen > 0),
        total_fen bigint NOT NULL CHECK (total_fen = lessons * lesson_price_fen),
        start_date date NOT NULL,
        end_date date NOT NULL CHECK (end_date >= start_date),
        status text NOT NULL CHECK (status IN ('awaiting_payment', 'active', 'completed', 'refunded')),
        paid_fen bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0 AND paid_fen <= total_fen),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX "IDX_CONTRACTS_PARENT" ON contracts (parent_user_id, created_at DESC)`);
    await db.query(`CREATE INDEX "IDX_CONTRACTS_INSTITUTION" ON contracts (institution_id, status)`);
    await db.query(`CREATE INDEX "IDX_CONTRACTS_DISTRICT" ON contracts (district_code, status)`);

    await db.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY,
        contract_id uuid NOT NULL REFERENCES contracts(id),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        channel text NOT NULL,
        external_ref text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX "IDX_PAYMENTS_CONTRACT" ON payments (contract_id)`);
    await db.query(`CREATE UNIQUE INDEX "UQ_PAYMENTS_CHANNEL_REF" ON payments (channel, external_ref)`);

    await db.query(`
      CREATE TABLE lessons (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL REFERENCES institutions(id),
        course_id uuid NOT NULL REFERENCES courses(id),
        starts_at timestamptz NOT NULL,
        minutes int NOT NULL CHECK (minutes > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE consumptions (
        id uuid PRIMARY KEY,
        lesson_id uuid NOT NULL REFERENCES lessons(id),
        contract_id uuid NOT NULL REFERENCES contracts(id),
        institution_id uuid NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        status text NOT NULL CHECK (status IN ('pending', 'disputed', 'confirmed', 'voided')),
        auto_confirm_at timestamptz NOT NULL,
        dispute_reason text,
        resolved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (lesson_id, contract_id)
      )`);
    await db.query(`CREATE INDEX "IDX_CONSUMPTIONS_CONTRACT" ON consumptions (contract_id)`);
    await db.query(`CREATE INDEX "IDX_CONSUMPTIONS_DUE" ON consumptions (auto_confirm_at) WHERE status = 'pending'`);

    await db.query(`
      CREATE TABLE refund_requests (
        id uuid PRIMARY KEY,
        contract_id uuid NOT NULL REFERENCES contracts(id),
        institution_id uuid NOT NULL,
        reason text NOT NULL,
        status text NOT NULL CHECK (status IN ('requested', 'accepted', 'rejected')),
        amount_fen bigint,
        deemed_accepted_at timestamptz NOT NULL,
        answer_reason text,
        answered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX "UQ_REFUND_REQUESTS_OPEN" ON refund_requests (contract_id) WHERE status = 'requested'`);
    await db.query(`CREATE INDEX "IDX_REFUND_REQUESTS_DUE" ON refund_requests (deemed_accepted_at) WHERE status = 'requested'`);

    await db.query(`
      CREATE TABLE settlements (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL REFERENCES institutions(id),
        district_code text NOT NULL,
        period text NOT NULL,
        business_date date NOT NULL,
        payable_fen bigint NOT NULL,
        payout_fen bigint NOT NULL,
        retained_fen bigint NOT NULL,
        released_fen bigint NOT NULL,
        frozen boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (institution_id, period)
      )`);
    await db.query(`CREATE INDEX "IDX_SETTLEMENTS_DISTRICT" ON settlements (district_code, business_date DESC)`);
    await db.query(`
      CREATE TABLE reserve_tranches (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL,
        settlement_id uuid NOT NULL REFERENCES settlements(id),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        release_on date NOT NULL,
        released_by uuid REFERENCES settlements(id)
      )`);
    await db.query(`CREATE INDEX "IDX_RESERVE_TRANCHES_DUE" ON reserve_tranches (institution_id, release_on) WHERE released_by IS NULL`);

    await db.query(`
      CREATE TABLE payout_instructions (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('institution_payout', 'parent_refund')),
        institution_id uuid NOT NULL,
        district_code text NOT NULL,
        contract_id uuid,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        status text NOT NULL CHECK (status IN ('pending', 'executed')),
        bank_ref text,
        executed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX "IDX_PAYOUT_INSTRUCTIONS_STATUS" ON payout_instructions (district_code, status, created_at)`);

    await db.query(`
      CREATE TABLE idempotency_keys (
        principal_id uuid NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status int,
        body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (principal_id, key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'payout_instructions',
      'reserve_tranches',
      'settlements',
      'refund_requests',
      'consumptions',
      'lessons',
      'payments',
      'contracts',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
