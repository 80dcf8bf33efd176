import { Injectable } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { ReconciliationService } from '@app/oversight';

/** Matches the bank's statement lines to the ledger; alerts are deduplicated, so it is safe to run twice. */
@Injectable()
export class ReconciliationProcessor implements JobHandler<'reconciliation'> {
  readonly queue = 'reconciliation' as const;

  constructor(private readonly reconciliation: ReconciliationService) {}

  readonly handlers: JobHandler<'reconciliation'>['handlers'] = {
    reconcile: () => this.reconciliation.reconcile(),
  };
}
