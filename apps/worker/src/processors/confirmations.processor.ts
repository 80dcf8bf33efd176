import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { LessonsService, PaymentOrdersService, RefundsService } from '@app/tuition';

/** Confirms lessons, accepts refunds and expires payment orders whose windows have passed. Each sweep is guarded by state: a second run finds nothing. */
@Injectable()
export class ConfirmationsProcessor implements JobHandler<'confirmations'> {
  readonly queue = 'confirmations' as const;
  private readonly logger = new Logger(ConfirmationsProcessor.name);

  constructor(
    private readonly lessons: LessonsService,
    private readonly refunds: RefundsService,
    private readonly orders: PaymentOrdersService,
  ) {}

  readonly handlers: JobHandler<'confirmations'>['handlers'] = {
    'sweep-due': async () => {
      const confirmed = await this.lessons.autoConfirmDue();
      const accepted = await this.refunds.autoAcceptDue();
      const expired = await this.orders.expireDue();
      if (confirmed || accepted || expired)
        this.logger.log(`auto-confirmed ${confirmed} lessons, deemed ${accepted} refunds accepted, expired ${expired} payment orders`);
      return { confirmed, accepted, expired };
    },
  };
}
