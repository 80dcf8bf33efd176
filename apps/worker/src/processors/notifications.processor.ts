import { Injectable } from '@nestjs/common';
import { NotificationDraft, NotificationsService } from '@app/core/notifications/notifications.service';
import { JobHandler } from '@app/jobs';

/** Turns domain events into messages for the people concerned. */
@Injectable()
export class NotificationsProcessor implements JobHandler<'notifications'> {
  readonly queue = 'notifications' as const;

  constructor(private readonly notifications: NotificationsService) {}

  readonly handlers: JobHandler<'notifications'>['handlers'] = {
    notify: async ({ eventId, eventType, payload }) => this.notifications.deliver(eventId, await this.draftsFor(eventType, payload)),
  };

  private async draftsFor(eventType: string, payload: Record<string, unknown>): Promise<NotificationDraft[]> {
    switch (eventType) {
      case 'account.created':
        return [{ userId: String(payload.userId), kind: 'welcome', message: 'Your account is ready.' }];
      case 'risk.red':
        return (await this.notifications.regulatorsOf(String(payload.districtCode))).map((userId) => ({
          userId,
          kind: 'risk_red',
          message: `An institution turned red (${String(payload.ruleCode)}): alert ${String(payload.alertId)} needs a look.`,
        }));
      case 'reconciliation.alert':
        return (await this.notifications.regulatorsOf(String(payload.districtCode))).map((userId) => ({
          userId,
          kind: 'reconciliation',
          message: `Bank reconciliation found a mismatch (${String(payload.ruleCode)}): alert ${String(payload.alertId)}.`,
        }));
      default:
        return [];
    }
  }
}
