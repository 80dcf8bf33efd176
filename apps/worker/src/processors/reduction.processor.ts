import { Injectable } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { ReductionService } from '@app/oversight';

/** The daily reduction snapshot of every served district: one upsert keyed by district and date, so a second run rewrites the same rows. */
@Injectable()
export class ReductionProcessor implements JobHandler<'reduction'> {
  readonly queue = 'reduction' as const;

  constructor(private readonly reduction: ReductionService) {}

  readonly handlers: JobHandler<'reduction'>['handlers'] = {
    'daily-snapshot': async ({ businessDate }) => this.reduction.takeSnapshots(businessDate),
  };
}
