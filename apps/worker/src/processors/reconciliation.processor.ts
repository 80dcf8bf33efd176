import { Injectable } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { MoneyAlertsService, ReconciliationService } from '@app/oversight';

/** Matches the bank's statement lines to the ledger; alerts are deduplicated, so it is safe to run twice. */
@Injectable()
export class ReconciliationProcessor implements JobHandler<'reconciliation'> {
  readonly queue = 'reconciliation' as const;

  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly alerts: MoneyAlertsService,
  ) {}

  readonly handlers: JobHandler<'reconciliation'>['handlers'] = {
    reconcile: () => this.reconciliation.reconcile(),
    'raise-alert': async (alert) => ({ raised: await this.alerts.raise(alert) }),
  };
}
