import { Injectable } from '@nestjs/common';
import { Db, changedCount, firstRow } from '../database/sql';

/**
 * Fixed windows in PostgreSQL when there is no Redis (the embedded default): one upsert on the key's
 * primary key a hit. The instant is the caller's Clock, passed in (it runs at the wall clock's pace,
 * so windows last as long as they say; a test that moves time ends them).
 */
@Injectable()
export class RateLimitRepository {
  async hit(db: Db, key: string, now: Date, windowMs: number): Promise<{ hits: number; resetsAt: Date }> {
    const row = await firstRow<{ hits: number; resetsAt: Date }>(
      db,
      `INSERT INTO rate_limit_windows AS w (key, hits, resets_at) VALUES ($1, 1, $2::timestamptz + make_interval(secs => $3::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN w.resets_at <= $2 THEN 1 ELSE w.hits + 1 END,
         resets_at = CASE WHEN w.resets_at <= $2 THEN EXCLUDED.resets_at ELSE w.resets_at END
       RETURNING hits, resets_at AS "resetsAt"`,
      [key, now, windowMs],
    );
    return row!;
  }

  /** Windows that have ended: swept now and then so the table stays as small as the live keys. */
  forgetEnded(db: Db, now: Date): Promise<number> {
    return changedCount(db, `DELETE FROM rate_limit_windows WHERE resets_at <= $1`, [now]);
  }
}
