import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../clock/clock';
import { Notification } from './notification.entity';

export interface NotificationDraft {
  userId: string;
  kind: string;
  message: string;
}

@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly clock: Clock,
  ) {}

  /** Idempotent per event and recipient: running the same job twice notifies once. */
  async deliver(sourceEventId: string, drafts: NotificationDraft[]): Promise<number> {
    if (!drafts.length) return 0;
    const result = await this.notifications
      .createQueryBuilder()
      .insert()
      .values(drafts.map((draft) => ({ ...draft, sourceEventId, createdAt: this.clock.now() })))
      .orIgnore()
      .execute();
    return result.identifiers.filter(Boolean).length;
  }

  /** Regulators whose scope covers a district: its own, and its city's. */
  async regulatorsOf(districtCode: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.notifications.query(
      `SELECT id FROM users WHERE role = 'regulator' AND (district_code = $1 OR district_code = left($1, 4) || '00')`,
      [districtCode],
    );
    return rows.map((row) => row.id);
  }

  listFor(userId: string, page: number, pageSize: number) {
    return this.notifications
      .findAndCount({ where: { userId }, order: { createdAt: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize })
      .then(([items, total]) => ({ items, total, page, pageSize }));
  }
}
