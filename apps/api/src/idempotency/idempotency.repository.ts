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

  async recordAnswer(db: Db, principalId: string, key: string, status: number, body: unknown): Promise<void> {
    await db.query(`UPDATE idempotency_keys SET status = $3, body = $4 WHERE principal_id = $1 AND key = $2`, [
      principalId,
      key,
      status,
      JSON.stringify(body ?? null),
    ]);
  }
}
