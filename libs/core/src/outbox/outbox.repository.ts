import { Injectable } from '@nestjs/common';
import { Db, LOCK, rows } from '../database/sql';
import { DomainEvent, DomainEventPayloads, DomainEventType } from './domain-events';

@Injectable()
export class OutboxRepository {
  async insert<T extends DomainEventType>(db: Db, event: { id: string; type: T; payload: DomainEventPayloads[T]; createdAt: Date }): Promise<void> {
    await db.query(`INSERT INTO outbox (id, type, payload, created_at) VALUES ($1, $2, $3, $4)`, [event.id, event.type, event.payload, event.createdAt]);
  }

  /** The oldest unsent events, locked; rows another relay holds are skipped, not waited for. */
  lockUnsent(db: Db, limit: number): Promise<DomainEvent[]> {
    return rows<DomainEvent>(db, `SELECT id, type, payload FROM outbox WHERE sent_at IS NULL ORDER BY created_at, id LIMIT $1 ${LOCK} SKIP LOCKED`, [limit]);
  }

  async markSent(db: Db, ids: string[], at: Date): Promise<void> {
    await db.query(`UPDATE outbox SET sent_at = $2, attempts = attempts + 1 WHERE id = ANY($1::uuid[])`, [ids, at]);
  }
}
