import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { InstitutionsService } from '@app/registry';

/** Ends licences past their validity. One guarded UPDATE: a second run the same day expires nothing. */
@Injectable()
export class LicencesProcessor implements JobHandler<'licences'> {
  readonly queue = 'licences' as const;
  private readonly logger = new Logger(LicencesProcessor.name);

  constructor(private readonly institutions: InstitutionsService) {}

  readonly handlers: JobHandler<'licences'>['handlers'] = {
    'expire-due': async () => {
      const expired = await this.institutions.expireDue();
      if (expired.length) this.logger.log(`expired ${expired.length} licences`);
      return { expired: expired.length };
    },
  };
}
