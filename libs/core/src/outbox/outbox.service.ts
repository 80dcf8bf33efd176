import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { Db } from '../database/sql';
import { DomainEvent, DomainEventPayloads, DomainEventType } from './domain-events';

@Injectable()
export class OutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Records an event in the caller's transaction: it is sent if and only if the change commits. */
  async add<T extends DomainEventType>(db: Db, type: T, payload: DomainEventPayloads[T]): Promise<string> {
    const id = randomUUID();
    await db.query(`INSERT INTO outbox (id, type, payload, created_at) VALUES ($1, $2, $3, $4)`, [id, type, payload, this.clock.now()]);
    return id;
  }

  /**
   * Hands a batch of unsent events to `deliver` and marks them sent only when it succeeds. Rows are
   * locked with SKIP LOCKED so several relays share the work without sending an event twice at once;
   * if delivery fails the transaction rolls back and the events wait for the next round.
   */
  async relayBatch(limit: number, deliver: (events: DomainEvent[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const events: DomainEvent[] = await manager.query(
        `SELECT id, type, payload FROM outbox WHERE sent_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (!events.length) return 0;
      await deliver(events);
      await manager.query(`UPDATE outbox SET sent_at = $2, attempts = attempts + 1 WHERE id = ANY($1::uuid[])`, [
        events.map((event) => event.id),
        this.clock.now(),
      ]);
      return events.length;
    });
  }

  async unsentCount(): Promise<number> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE sent_at IS NULL`);
    return count;
  }
}
