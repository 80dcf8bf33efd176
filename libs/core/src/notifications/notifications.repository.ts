import { Injectable } from '@nestjs/common';
import { Db, changedRows, firstRow, rows } from '../database/sql';

/** A message for one user, as the API answers it. */
export interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  at: Date;
  readAt: Date | null;
  data: Record<string, unknown>;
}

export interface NewNotification {
  userId: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  /** What made it (an outbox event, a consumption…): (sourceId, userId) is unique, so a replay adds nothing. */
  sourceId: string;
  at: Date;
}

const COLUMNS = `id, kind, title, body, created_at AS at, read_at AS "readAt", data`;

@Injectable()
export class NotificationsRepository {
  /** Inserts what is new; answers how many were. */
  async insert(db: Db, notifications: NewNotification[]): Promise<number> {
    if (!notifications.length) return 0;
    const inserted = await rows(
      db,
      `INSERT INTO notifications (user_id, kind, title, body, data, source_id, created_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::uuid[], $7::timestamptz[])
       ON CONFLICT (source_id, user_id) DO NOTHING RETURNING id`,
      [
        notifications.map((n) => n.userId),
        notifications.map((n) => n.kind),
        notifications.map((n) => n.title),
        notifications.map((n) => n.body),
        notifications.map((n) => JSON.stringify(n.data)),
        notifications.map((n) => n.sourceId),
        notifications.map((n) => n.at),
      ],
    );
    return inserted.length;
  }

  async page(db: Db, userId: string, filter: { unread: boolean; limit: number; offset: number }): Promise<{ items: NotificationRow[]; total: number }> {
    const where = `user_id = $1 AND (NOT $2 OR read_at IS NULL)`;
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM notifications WHERE ${where}`, [userId, filter.unread]);
    const items = await rows<NotificationRow>(db, `SELECT ${COLUMNS} FROM notifications WHERE ${where} ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`, [
      userId,
      filter.unread,
      filter.limit,
      filter.offset,
    ]);
    return { items, total: counted?.total ?? 0 };
  }

  /** Marks one of the user's notifications read (the first time only); undefined when it is not theirs. */
  async markRead(db: Db, userId: string, id: string, at: Date): Promise<NotificationRow | undefined> {
    const [updated] = await changedRows<NotificationRow>(
      db,
      `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, userId, at],
    );
    return updated;
  }

  /** Regulators whose scope covers a district: its own, and its city's. */
  async regulatorsOf(db: Db, districtCode: string): Promise<string[]> {
    const found = await rows<{ id: string }>(
      db,
      `SELECT id FROM users WHERE role = 'regulator' AND (district_code = $1 OR district_code = left($1, 4) || '00')`,
      [districtCode],
    );
    return found.map((row) => row.id);
  }
}
