import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '@app/core';

/** A key's record: the request it was first used for and, once that request finished, its answer. */
export interface StoredIdempotencyKey {
  hash: string;
  status: number | null;
  body: unknown;
}

/** The `idempotency_keys` table: one row per (caller, key), written in the money-moving request's transaction. */
@Injectable()
export class IdempotencyRepository {
  /** Claims the key; false when another request holds it (a concurrent one waits here until the holder commits or rolls back). */
  async claim(db: Db, principalId: string, key: string, requestHash: string, at: Date): Promise<boolean> {
    const claimed = await rows(
      db,
      `INSERT INTO idempotency_keys (principal_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key`,
      [principalId, key, requestHash, at],
    );
    return claimed.length > 0;
  }

  async find(db: Db, principalId: string, key: string): Promise<StoredIdempotencyKey | undefined> {
    return firstRow<StoredIdempotencyKey>(db, `SELECT request_hash AS hash, status, body FROM idempotency_keys WHERE principal_id = $1 AND key = $2`, [
      principalId,
      key,
    ]);
  }

  /**
   * Takes over a claim that has no answer (one the earlier, separately committed scheme left when its
   * request never finished), only while it still has none: the row lock makes a concurrent taker wait,
   * and once the first one committed its answer the second finds `status` set and takes nothing.
   */
  async takeOver(db: Db, principalId: string, key: string, requestHash: string, at: Date): Promise<boolean> {
    const taken = await rows(
      db,
      `UPDATE idempotency_keys SET created_at = $4 WHERE principal_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL RETURNING key`,
      [principalId, key, requestHash, at],
    );
    return taken.length > 0;
  }

  async recordAnswer(db: Db, principalId: string, key: string, status: number, body: unknown): Promise<void> {
    await db.query(`UPDATE idempotency_keys SET status = $3, body = $4 WHERE principal_id = $1 AND key = $2`, [
      principalId,
      key,
      status,
      JSON.stringify(body ?? null),
    ]);
  }
}
