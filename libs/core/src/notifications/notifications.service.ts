import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { Db } from '../database/sql';
import { notFound } from '../errors/domain-error';
import { NotificationRow, NotificationsRepository } from './notifications.repository';

export type { NotificationRow };

/** A message to write: who, what kind (the pages word it by kind), a title and body, and its data. */
export interface NotificationDraft {
  userId: string;
  kind: string;
  title: string;
  body: string;
  data?: Record<string, unknown>;
}

@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes notifications made from `sourceId` (an outbox event, a consumption…) through `db`: in the
   * caller's transaction when the notice must exist exactly when the change does (a recorded lesson),
   * or on the pool from a job. Idempotent per source and recipient: a replay notifies once.
   */
  async deliver(db: Db, sourceId: string, drafts: NotificationDraft[]): Promise<number> {
    return this.notifications.insert(
      db,
      drafts.map((draft) => ({ ...draft, data: draft.data ?? {}, sourceId, at: this.clock.now() })),
    );
  }

  /** Writes one notification per source (e.g. a consumption per pupil of a roll call), in one statement. */
  async deliverEach(db: Db, notes: Array<NotificationDraft & { sourceId: string }>): Promise<number> {
    return this.notifications.insert(
      db,
      notes.map((note) => ({ ...note, data: note.data ?? {}, at: this.clock.now() })),
    );
  }

  /** Regulators whose scope covers a district: its own, and its city's. */
  regulatorsOf(districtCode: string): Promise<string[]> {
    return this.notifications.regulatorsOf(this.dataSource.manager, districtCode);
  }

  async listFor(
    userId: string,
    filter: { unread: boolean; page: number; pageSize: number },
  ): Promise<{ items: NotificationRow[]; total: number; page: number; pageSize: number }> {
    const { items, total } = await this.notifications.page(this.dataSource.manager, userId, {
      unread: filter.unread,
      limit: filter.pageSize,
      offset: (filter.page - 1) * filter.pageSize,
    });
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  /** The recipient marks one read; anyone else's is 404. */
  async markRead(userId: string, id: string): Promise<NotificationRow> {
    const read = await this.notifications.markRead(this.dataSource.manager, userId, id, this.clock.now());
    if (!read) throw notFound('The notification', 'NOTIFICATION.NOT_FOUND');
    return read;
  }
}
