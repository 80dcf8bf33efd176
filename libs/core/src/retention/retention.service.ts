import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { Db } from '../database/sql';
import { RetentionRepository } from './retention.repository';

/** An Idempotency-Key is remembered this long: a retry after that is a new request (README, "Operations"). */
export const IDEMPOTENCY_KEY_RETENTION_DAYS = 30;
/** A relayed outbox event is kept this long, for tracing a job back to its event. */
export const SENT_OUTBOX_RETENTION_DAYS = 7;
const BATCH = 5_000;

/** Forgets what the platform need not keep for ever (the jobs of the `maintenance` queue, daily). */
@Injectable()
export class RetentionService {
  constructor(
    private readonly retention: RetentionRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  purgeIdempotencyKeys(): Promise<number> {
    return this.inBatches(IDEMPOTENCY_KEY_RETENTION_DAYS, (db, before) => this.retention.deleteIdempotencyKeys(db, before, BATCH));
  }

  purgeSentOutbox(): Promise<number> {
    return this.inBatches(SENT_OUTBOX_RETENTION_DAYS, (db, before) => this.retention.deleteSentOutbox(db, before, BATCH));
  }

  /** Batch after batch, each its own short transaction, until a batch comes back short; returns how many rows went. */
  private async inBatches(days: number, deleteBatch: (db: Db, before: Date) => Promise<number>): Promise<number> {
    const before = new Date(this.clock.now().getTime() - days * 24 * 3600_000);
    let total = 0;
    for (;;) {
      const deleted = await deleteBatch(this.dataSource.manager, before);
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
