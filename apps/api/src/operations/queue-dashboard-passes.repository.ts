import { Injectable } from '@nestjs/common';
import { Db, changedRows, firstRow } from '@app/core';

export type PassKind = 'code' | 'session';

/**
 * One-time codes that open the queue dashboard, and the dashboard sessions they become; by hash only. A
 * pass is good while its admin stays an admin, enabled, on the token version it was issued under (so
 * logout, a password change or disabling ends dashboard sessions as well).
 */
@Injectable()
export class QueueDashboardPassesRepository {
  async issue(db: Db, pass: { hash: string; kind: PassKind; userId: string; expiresAt: Date; at: Date }): Promise<void> {
    await db.query(
      `INSERT INTO queue_dashboard_passes (hash, kind, user_id, token_version, expires_at, created_at)
       SELECT $1, $2, id, token_version, $4, $5 FROM users WHERE id = $3`,
      [pass.hash, pass.kind, pass.userId, pass.expiresAt, pass.at],
    );
  }

  /** Uses a code up: its admin, once, or undefined when unknown, used, expired or no longer good. */
  async redeemCode(db: Db, hash: string, at: Date): Promise<string | undefined> {
    const [row] = await changedRows<{ userId: string }>(
      db,
      `UPDATE queue_dashboard_passes p SET used_at = $2
         FROM users u
        WHERE p.hash = $1 AND p.kind = 'code' AND p.used_at IS NULL AND p.expires_at > $2
          AND u.id = p.user_id AND u.role = 'admin' AND u.disabled_at IS NULL AND u.token_version = p.token_version
       RETURNING p.user_id AS "userId"`,
      [hash, at],
    );
    return row?.userId;
  }

  /** Whether a session is good now (primary key probe and the user's row). */
  async sessionIsGood(db: Db, hash: string, at: Date): Promise<boolean> {
    const row = await firstRow(
      db,
      `SELECT 1 FROM queue_dashboard_passes p JOIN users u ON u.id = p.user_id
        WHERE p.hash = $1 AND p.kind = 'session' AND p.expires_at > $2
          AND u.role = 'admin' AND u.disabled_at IS NULL AND u.token_version = p.token_version`,
      [hash, at],
    );
    return Boolean(row);
  }
}
