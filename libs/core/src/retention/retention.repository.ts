import { Injectable } from '@nestjs/common';
import { Db, changedCount } from '../database/sql';

/** Deletes old rows of the platform's bookkeeping tables, a batch at a time so no statement holds locks long. */
@Injectable()
export class RetentionRepository {
  /** Idempotency-Key records made before `before` (index IDX_IDEMPOTENCY_KEYS_CREATED). */
  deleteIdempotencyKeys(db: Db, before: Date, limit: number): Promise<number> {
    return changedCount(db, `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT $2)`, [before, limit]);
  }

  /** Outbox events relayed before `before`; unsent ones are never deleted, however old (index IDX_OUTBOX_SENT). */
  deleteSentOutbox(db: Db, before: Date, limit: number): Promise<number> {
    return changedCount(db, `DELETE FROM outbox WHERE ctid IN (SELECT ctid FROM outbox WHERE sent_at < $1 LIMIT $2)`, [before, limit]);
  }
}
