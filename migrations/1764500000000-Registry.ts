import { MigrationInterface, QueryRunner } from 'typeorm';

export class Registry1764500000000 implements MigrationInterface {
  name = 'Registry1764500000000';

  async up(db: QueryRunner): Promise<void> {
    // Search grams: every character and every pair of adjacent characters of a name, so a two-character
    // Chinese query ("东方") is answered from a GIN index; pg_trgm similarity handles typos and ranking.
    await db.query(`
      CREATE FUNCTION name_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
          SELECT substr(n, i, 1) AS g FROM (SELECT lower(regexp_replace(t, '\\s+', '', 'g')) AS n) s, generate_series(1, length(n)) i
          UNION ALL
          SELECT substr(n, i, 2) FROM (SELECT lower(regexp_replace(t, '\\s+', '', 'g')) AS n) s, generate_series(1, length(n) - 1) i
        ) grams $$`);

    await db.query(`
      CREATE TABLE institutions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_user_id uuid NOT NULL REFERENCES users(id),
        name text NOT NULL,
        uscc text NOT NULL,
        district_code text NOT NULL REFERENCES districts(code),
        address text NOT NULL,
        category text NOT NULL CHECK (category IN ('subject', 'non_subject')),
        delivery text NOT NULL CHECK (delivery IN ('offline', 'online')),
        legal_representative text NOT NULL,
        premises_area_m2 int NOT NULL CHECK (premises_area_m2 >= 0),
        capacity int NOT NULL CHECK (capacity > 0),
        phone text NOT NULL,
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft', 'submitted', 'returned', 'rejected', 'licensed', 'suspended', 'revoked', 'expired', 'closed')),
        frozen boolean NOT NULL DEFAULT false,
        risk_level text NOT NULL DEFAULT 'green' CHECK (risk_level IN ('green', 'yellow', 'red')),
        licence_number text,
        licence_valid_from date,
        licence_valid_until date,
        name_grams text[] GENERATED ALWAYS AS (name_grams(name)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_INSTITUTIONS_LICENCE" CHECK (status NOT IN ('licensed', 'suspended', 'expired') OR licence_number IS NOT NULL)
      )`);
    await db.query(`CREATE UNIQUE INDEX "UQ_INSTITUTIONS_USCC" ON institutions (uscc)`);
    await db.query(`CREATE UNIQUE INDEX "UQ_INSTITUTIONS_LICENCE_NUMBER" ON institutions (licence_number)`);
    await db.query(`CREATE INDEX "IDX_INSTITUTIONS_OWNER" ON institutions (owner_user_id)`);
    await db.query(`CREATE INDEX "IDX_INSTITUTIONS_DISTRICT_STATUS" ON institutions (district_code, status)`);
    await db.query(`CREATE INDEX "IDX_INSTITUTIONS_NAME_GRAMS" ON institutions USING gin (name_grams)`);
    await db.query(`CREATE INDEX "IDX_INSTITUTIONS_NAME_TRGM" ON institutions USING gin (name gin_trgm_ops)`);
    await db.query(`CREATE INDEX "IDX_INSTITUTIONS_LICENCE_DUE" ON institutions (licence_valid_until) WHERE status = 'licensed'`);

    await db.query(`
      CREATE TABLE institution_events (
        id bigserial PRIMARY KEY,
        institution_id uuid NOT NULL REFERENCES institutions(id),
        action text NOT NULL,
        from_status text NOT NULL,
        to_status text NOT NULL,
        actor_id uuid,
        actor_role text NOT NULL,
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX "IDX_INSTITUTION_EVENTS_INSTITUTION" ON institution_events (institution_id, id)`);
    await db.query(`CREATE TRIGGER institution_events_append_only BEFORE UPDATE OR DELETE ON institution_events FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

    await db.query(`
      CREATE TABLE licence_counters (
        district_code text NOT NULL REFERENCES districts(code),
        year int NOT NULL,
        last int NOT NULL,
        PRIMARY KEY (district_code, year)
      )`);

    await db.query(`
      CREATE TABLE teachers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions(id),
        name text NOT NULL,
        full_time boolean NOT NULL,
        qualification_no text,
        subjects text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX "IDX_TEACHERS_INSTITUTION" ON teachers (institution_id)`);

    await db.query(`
      CREATE TABLE courses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions(id),
        name text NOT NULL,
        subject text NOT NULL,
        category text NOT NULL CHECK (category IN ('subject', 'non_subject')),
        size_band text NOT NULL CHECK (size_band IN ('<10', '10-35', '>35')),
        lesson_minutes int NOT NULL CHECK (lesson_minutes > 0),
        lesson_price_fen bigint NOT NULL CHECK (lesson_price_fen > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX "IDX_COURSES_INSTITUTION" ON courses (institution_id)`);

    await db.query(`
      CREATE TABLE district_policies (
        district_code text PRIMARY KEY REFERENCES districts(code),
        max_prepaid_lessons int NOT NULL,
        max_prepaid_months int NOT NULL,
        max_prepaid_amount_fen bigint NOT NULL,
        confirm_window_working_days int NOT NULL,
        refund_response_working_days int NOT NULL,
        settlement_cycle text NOT NULL CHECK (settlement_cycle IN ('daily', 'weekly', 'monthly')),
        retention_rate_bp int NOT NULL CHECK (retention_rate_bp BETWEEN 0 AND 10000),
        retention_days int NOT NULL,
        guided_prices jsonb NOT NULL DEFAULT '{}',
        report_due_day int NOT NULL CHECK (report_due_day BETWEEN 1 AND 28),
        latest_offline_end text NOT NULL,
        latest_online_end text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['district_policies', 'courses', 'teachers', 'licence_counters', 'institution_events', 'institutions']) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`DROP FUNCTION name_grams(text)`);
  }
}
