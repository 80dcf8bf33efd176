import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { Db } from '../database/sql';
import { DomainEvent, DomainEventPayloads, DomainEventType } from './domain-events';
import { OutboxRepository } from './outbox.repository';

@Injectable()
export class OutboxService {
  constructor(
    private readonly events: OutboxRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Records an event in the caller's transaction: it is sent if and only if the change commits. */
  async add<T extends DomainEventType>(db: Db, type: T, payload: DomainEventPayloads[T]): Promise<string> {
    const id = randomUUID();
    await this.events.insert(db, { id, type, payload, createdAt: this.clock.now() });
    return id;
  }

  /**
   * Hands a batch of unsent events to `deliver` and marks them sent only when it succeeds. Rows are
   * locked with SKIP LOCKED so several relays share the work without sending an event twice at once;
   * if delivery fails the transaction rolls back and the events wait for the next round.
   */
  async relayBatch(limit: number, deliver: (events: DomainEvent[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const events = await this.events.lockUnsent(manager, limit);
      if (!events.length) return 0;
      await deliver(events);
      await this.events.markSent(
        manager,
        events.map((event) => event.id),
        this.clock.now(),
      );
      return events.length;
    });
  }
}
