import { Injectable } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { ReportsService } from '@app/oversight';

/** Marks missing monthly reports overdue after each district's due day. INSERT … ON CONFLICT DO NOTHING: a second run marks nothing. */
@Injectable()
export class ReportsProcessor implements JobHandler<'reports'> {
  readonly queue = 'reports' as const;

  constructor(private readonly reports: ReportsService) {}

  readonly handlers: JobHandler<'reports'>['handlers'] = {
    'mark-overdue': async ({ businessDate }) => {
      const { month, marked } = await this.reports.markOverdue(businessDate);
      return { month, marked: marked.length };
    },
  };
}
