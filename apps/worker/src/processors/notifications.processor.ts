import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@app/core';
import { NotificationDraft, NotificationsService } from '@app/core/notifications/notifications.service';
import { JobHandler } from '@app/jobs';

/** Turns domain events into messages for the people concerned. */
@Injectable()
export class NotificationsProcessor implements JobHandler<'notifications'> {
  readonly queue = 'notifications' as const;

  constructor(private readonly notifications: NotificationsService) {}

  readonly handlers: JobHandler<'notifications'>['handlers'] = {
    notify: async (event) => this.notifications.deliver(event.id, await this.draftsFor(event)),
  };

  private async draftsFor(event: DomainEvent): Promise<NotificationDraft[]> {
    switch (event.type) {
      case 'account.created':
        return [{ userId: event.payload.userId, kind: 'welcome', message: 'Your account is ready.' }];
      case 'risk.red':
        return (await this.notifications.regulatorsOf(event.payload.districtCode)).map((userId) => ({
          userId,
          kind: 'risk_red',
          message: `An institution turned red (${event.payload.ruleCode}): alert ${event.payload.alertId} needs a look.`,
        }));
      case 'reconciliation.alert':
        return (await this.notifications.regulatorsOf(event.payload.districtCode)).map((userId) => ({
          userId,
          kind: 'reconciliation',
          message: `Bank reconciliation found a mismatch (${event.payload.ruleCode}): alert ${event.payload.alertId}.`,
        }));
      default:
        return [];
    }
  }
}
