import { Injectable } from '@nestjs/common';
import { NotificationDraft, NotificationsService } from '@app/core/notifications/notifications.service';
import { JobHandler } from '@app/jobs';

/** Turns domain events into messages for the people concerned. */
@Injectable()
export class NotificationsProcessor implements JobHandler<'notifications'> {
  readonly queue = 'notifications' as const;

  constructor(private readonly notifications: NotificationsService) {}

  readonly handlers: JobHandler<'notifications'>['handlers'] = {
    notify: async ({ eventId, eventType, payload }) => this.notifications.deliver(eventId, this.draftsFor(eventType, payload)),
  };

  private draftsFor(eventType: string, payload: Record<string, unknown>): NotificationDraft[] {
    switch (eventType) {
      case 'account.created':
        return [{ userId: String(payload.userId), kind: 'welcome', message: 'Your account is ready.' }];
      default:
        return [];
    }
  }
}
