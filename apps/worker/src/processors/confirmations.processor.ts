import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { LessonsService, RefundsService } from '@app/tuition';

/** Confirms lessons and accepts refunds whose answer windows have passed. Both sweeps are guarded by state: a second run finds nothing. */
@Injectable()
export class ConfirmationsProcessor implements JobHandler<'confirmations'> {
  readonly queue = 'confirmations' as const;
  private readonly logger = new Logger(ConfirmationsProcessor.name);

  constructor(
    private readonly lessons: LessonsService,
    private readonly refunds: RefundsService,
  ) {}

  readonly handlers: JobHandler<'confirmations'>['handlers'] = {
    'sweep-due': async () => {
      const confirmed = await this.lessons.autoConfirmDue();
      const accepted = await this.refunds.autoAcceptDue();
      if (confirmed || accepted) this.logger.log(`auto-confirmed ${confirmed} lessons, deemed ${accepted} refunds accepted`);
      return { confirmed, accepted };
    },
  };
}
