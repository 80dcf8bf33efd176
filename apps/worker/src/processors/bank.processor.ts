import { Injectable } from '@nestjs/common';
import { JobHandler } from '@app/jobs';
import { SandboxBankService } from '@app/tuition';

/** The sandbox bank of npm start; it does nothing unless SANDBOX_BANK is on. */
@Injectable()
export class BankProcessor implements JobHandler<'bank'> {
  readonly queue = 'bank' as const;

  constructor(private readonly sandbox: SandboxBankService) {}

  readonly handlers: JobHandler<'bank'>['handlers'] = {
    'sandbox-confirm': async () => ({ confirmed: await this.sandbox.confirmWaiting() }),
  };
}
