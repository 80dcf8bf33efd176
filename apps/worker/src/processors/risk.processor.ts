import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { ComplaintsService, RiskService } from '@app/oversight';

/** Risk evaluation (debounced per institution by job id), the nightly scan, and complaints from rejected refunds. */
@Injectable()
export class RiskProcessor implements JobHandler<'risk'> {
  readonly queue = 'risk' as const;
  private readonly logger = new Logger(RiskProcessor.name);

  constructor(
    private readonly risk: RiskService,
    private readonly complaints: ComplaintsService,
  ) {}

  readonly handlers: JobHandler<'risk'>['handlers'] = {
    evaluate: async ({ institutionId }) => Object.fromEntries(await this.risk.evaluate([institutionId])),
    'full-scan': async () => {
      const result = await this.risk.fullScan();
      this.logger.log(`risk scan: ${result.institutions} institutions, ${result.red} red`);
      return result;
    },
    'refund-rejected': async ({ refundRequestId, reason }) => ({ filed: await this.complaints.fromRejectedRefund(refundRequestId, reason) }),
  };
}
