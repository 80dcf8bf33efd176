import { Injectable } from '@nestjs/common';
import { RetentionService } from '@app/core';
import { JobHandler } from '@app/jobs';

/** Retention: deletes what is older than its keeping time; a second run finds nothing left to delete. */
@Injectable()
export class MaintenanceProcessor implements JobHandler<'maintenance'> {
  readonly queue = 'maintenance' as const;

  constructor(private readonly retention: RetentionService) {}

  readonly handlers: JobHandler<'maintenance'>['handlers'] = {
    'purge-idempotency-keys': async () => ({ deleted: await this.retention.purgeIdempotencyKeys() }),
    'purge-sent-outbox': async () => ({ deleted: await this.retention.purgeSentOutbox() }),
  };
}
