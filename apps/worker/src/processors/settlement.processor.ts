import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { RefundsService, SettlementService } from '@app/tuition';

/** The rolling transfer and the automatic refunds. One deterministic id per institution and period (or contract): safe to run twice, or on two workers at once. */
@Injectable()
export class SettlementProcessor implements JobHandler<'settlement'> {
  readonly queue = 'settlement' as const;
  private readonly logger = new Logger(SettlementProcessor.name);

  constructor(
    private readonly settlements: SettlementService,
    private readonly refunds: RefundsService,
  ) {}

  readonly handlers: JobHandler<'settlement'>['handlers'] = {
    'run-due-cycles': async ({ businessDate }) => {
      const settled = await this.settlements.runDueCycles(businessDate);
      this.logger.log(`settlement cycle: ${settled} institutions settled`);
      return { settled };
    },
    'refund-institution': async ({ institutionId }) => this.refunds.refundInstitution(institutionId),
    'refund-sweep': async () => {
      const outcome = await this.refunds.sweepEndedLicences();
      if (outcome.refunded || outcome.failed || outcome.payoutsCancelled) this.logger.log(`refund sweep: ${JSON.stringify(outcome)}`);
      return outcome;
    },
  };
}
