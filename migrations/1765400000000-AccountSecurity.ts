import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts that can be ended at once (docs/decisions.md, "Security"):
 *
 * - users.token_version is carried in every access token; logout, a password change and an admin's
 *   disabling bump it, and a token of another version is refused on its next request.
 * - users.disabled_at: a disabled account cannot log in and its tokens are refused.
 * - rate_limit_windows: the fixed-window counters of the auth limits when there is no Redis, so every
 *   replica counts against one limit. UNLOGGED: a counter lost in a crash only forgives a minute.
 * - queue_dashboard_passes: the one-time codes that open the queue dashboard, and the dashboard
 *   sessions they become (hashes only; the code and the cookie are never stored).
 */
export class AccountSecurity1765400000000 implements MigrationInterface {
  name = 'AccountSecurity1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0, ADD COLUMN disabled_at timestamptz`);
    await db.query(`
      CREATE UNLOGGED TABLE rate_limit_windows (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        resets_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX "IDX_RATE_LIMIT_WINDOWS_RESETS_AT" ON rate_limit_windows (resets_at)`);
    await db.query(`
      CREATE TABLE queue_dashboard_passes (
        hash text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('code', 'session')),
        user_id uuid NOT NULL REFERENCES users(id),
        token_version integer NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE queue_dashboard_passes`);
    await db.query(`DROP TABLE rate_limit_windows`);
    await db.query(`ALTER TABLE users DROP COLUMN disabled_at, DROP COLUMN token_version`);
  }
}
