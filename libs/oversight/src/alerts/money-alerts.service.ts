import { Injectable } from '@nestjs/common';
import { Clock, OutboxService } from '@app/core';
import { DataSource } from 'typeorm';
import { AlertsRepository, MoneyAlert } from '../risk/alerts.repository';

/**
 * Alerts about money the platform refused or could not move (a bank receipt it could not match, a
 * refund the sweep could not make): for the district's regulators, once per finding, with a notice.
 */
@Injectable()
export class MoneyAlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertsRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async raise(alert: MoneyAlert): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const id = await this.alerts.raiseOnce(manager, alert, this.clock.now());
      if (id) await this.outbox.add(manager, 'reconciliation.alert', { alertId: id, districtCode: alert.districtCode, ruleCode: alert.ruleCode });
      return Boolean(id);
    });
  }
}
