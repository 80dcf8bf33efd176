import { MigrationInterface, QueryRunner } from 'typeorm';

/** Risk flags and alerts, complaints, the bank's statement lines, and per-district risk thresholds. */
export class Oversight1764850000000 implements MigrationInterface {
  name = 'Oversight1764850000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE district_policies ADD COLUMN risk_thresholds jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE institutions ADD COLUMN risk_evaluated_at timestamptz`);

    await db.query(`
      CREATE TABLE complaints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parent_user_id uuid REFERENCES users(id),
        institution_id uuid REFERENCES institutions(id),
        institution_name text NOT NULL,
        district_code text NOT NULL REFERENCES districts(code),
        category text NOT NULL CHECK (category IN ('refund_refused', 'lessons_not_delivered', 'safety', 'unlicensed', 'other')),
        description text NOT NULL,
        contract_id uuid REFERENCES contracts(id),
        refund_request_id uuid UNIQUE REFERENCES refund_requests(id),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved', 'dismissed')),
        reply text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX "IDX_COMPLAINTS_INSTITUTION" ON complaints (institution_id, created_at)`);
    await db.query(`CREATE INDEX "IDX_COMPLAINTS_DISTRICT" ON complaints (district_code, status)`);
    await db.query(`CREATE INDEX "IDX_COMPLAINTS_UNLICENSED" ON complaints USING gin (name_grams(institution_name)) WHERE institution_id IS NULL`);
    await db.query(`
      CREATE TABLE complaint_replies (
        id bigserial PRIMARY KEY,
        complaint_id uuid NOT NULL REFERENCES complaints(id),
        from_status text NOT NULL,
        to_status text NOT NULL,
        reply text NOT NULL,
        actor_id uuid,
        at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE risk_flags (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions(id),
        rule_code text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('yellow', 'red')),
        evidence jsonb NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'resolved')),
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        closed_by uuid,
        close_note text
      )`);
    await db.query(`CREATE UNIQUE INDEX "UQ_RISK_FLAGS_OPEN" ON risk_flags (institution_id, rule_code) WHERE status = 'open'`);
    await db.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid REFERENCES institutions(id),
        district_code text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('risk_red', 'reconciliation')),
        rule_code text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('yellow', 'red')),
        evidence jsonb NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_by uuid,
        -- One alert per reconciliation finding (a statement line, a transfer, a district and date).
        dedupe_key text UNIQUE
      )`);
    await db.query(`CREATE INDEX "IDX_ALERTS_DISTRICT" ON alerts (district_code, status, created_at DESC)`);

    await db.query(`
      CREATE TABLE bank_statement_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        bank_client_id uuid NOT NULL REFERENCES bank_clients(id),
        district_code text NOT NULL,
        date date NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        direction text NOT NULL CHECK (direction IN ('in', 'out')),
        reference text NOT NULL,
        matched_kind text,
        matched_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (bank_client_id, direction, reference)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['bank_statement_lines', 'alerts', 'risk_flags', 'complaint_replies', 'complaints']) await db.query(`DROP TABLE ${table}`);
    await db.query(`ALTER TABLE institutions DROP COLUMN risk_evaluated_at`);
    await db.query(`ALTER TABLE district_policies DROP COLUMN risk_thresholds`);
  }
}
