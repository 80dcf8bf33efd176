import { MigrationInterface, QueryRunner } from 'typeorm';
import calendar from '../libs/core/src/calendar/data/cn-calendar.json';
import divisions from '../libs/core/src/reference/data/districts.json';

export class Foundation1764400000000 implements MigrationInterface {
  name = 'Foundation1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // Append-only tables (audit log, ledger transfers) refuse UPDATE and DELETE through this trigger.
    await db.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);

    await db.query(`
      CREATE TABLE districts (
        code text PRIMARY KEY CHECK (code ~ '^\\d{6}$'),
        name text NOT NULL,
        name_en text NOT NULL,
        city_code text REFERENCES districts(code),
        province text
      )`);
    await db.query(`
      CREATE TABLE calendar_years (
        year int PRIMARY KEY,
        holidays date[] NOT NULL DEFAULT '{}',
        workdays date[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'regulator', 'institution', 'parent')),
        name text NOT NULL,
        phone text,
        district_code text REFERENCES districts(code),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_USERS_REGULATOR_SCOPE" CHECK (role <> 'regulator' OR district_code IS NOT NULL)
      )`);
    await db.query(`CREATE UNIQUE INDEX "UQ_USERS_USERNAME" ON users (username)`);
    await db.query(`
      CREATE TABLE bank_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        district_code text NOT NULL REFERENCES districts(code),
        api_key_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX "UQ_BANK_CLIENTS_API_KEY_HASH" ON bank_clients (api_key_hash)`);

    await db.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_role text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        reason text,
        request_id text,
        district_code text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX "IDX_AUDIT_LOG_TARGET_ID" ON audit_log (target_id)`);
    await db.query(`CREATE INDEX "IDX_AUDIT_LOG_DISTRICT_CODE" ON audit_log (district_code, id)`);
    await db.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await db.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log EXECUTE FUNCTION refuse_change()`);

    await db.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        attempts int NOT NULL DEFAULT 0
      )`);
    await db.query(`CREATE INDEX "IDX_OUTBOX_UNSENT" ON outbox (created_at, id) WHERE sent_at IS NULL`);

    await db.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        kind text NOT NULL,
        message text NOT NULL,
        source_event_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX "UQ_NOTIFICATIONS_EVENT_USER" ON notifications (source_event_id, user_id)`);
    await db.query(`CREATE INDEX "IDX_NOTIFICATIONS_USER" ON notifications (user_id, created_at DESC)`);

    for (const city of divisions.cities) {
      await db.query(`INSERT INTO districts (code, name, name_en, city_code, province) VALUES ($1, $2, $3, NULL, $4)`, [
        city.code,
        city.name,
        city.nameEn,
        city.province,
      ]);
    }
    for (const district of divisions.districts) {
      await db.query(`INSERT INTO districts (code, name, name_en, city_code, province) SELECT $1, $2, $3, $4, province FROM districts WHERE code = $4`, [
        district.code,
        district.name,
        district.nameEn,
        district.city,
      ]);
    }
    for (const [year, days] of Object.entries(calendar)) {
      if (!/^\d{4}$/.test(year)) continue; // the file's "about" note
      const { holidays, workdays } = days as { holidays: string[]; workdays: string[] };
      await db.query(`INSERT INTO calendar_years (year, holidays, workdays) VALUES ($1, $2, $3)`, [Number(year), holidays, workdays]);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notifications`);
    await db.query(`DROP TABLE outbox`);
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP TABLE bank_clients`);
    await db.query(`DROP TABLE users`);
    await db.query(`DROP TABLE calendar_years`);
    await db.query(`DROP TABLE districts`);
    await db.query(`DROP FUNCTION refuse_change()`);
  }
}
