import { Injectable, Logger } from '@nestjs/common';
import { AccountsService, AppConfig, Clock } from '@app/core';
import { DataSource } from 'typeorm';
import { PaymentsRepository } from './payments.repository';
import { ReceiptsService } from './receipts.service';

/** How long the sandbox bank lets an order wait, so a parent sees "waiting for the bank" before it is confirmed. */
const SANDBOX_DELAY_MS = 3_000;
export const SANDBOX_BANK_NAME = '沙箱银行（演示）';

/**
 * The sandbox bank of `npm start` (SANDBOX_BANK=true, refused in production): it confirms every order
 * waiting a few seconds, through the bank's own receipt path (ReceiptsService), as a bank client of the
 * order's district. With it the whole journey (order, receipt, escrow, lessons) works on one machine.
 */
@Injectable()
export class SandboxBankService {
  private readonly logger = new Logger(SandboxBankService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly receipts: ReceiptsService,
    private readonly accounts: AccountsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async confirmWaiting(): Promise<number> {
    if (!this.config.get('SANDBOX_BANK')) return 0;
    const now = this.clock.now();
    const waiting = await this.payments.pendingBefore(this.dataSource.manager, new Date(now.getTime() - SANDBOX_DELAY_MS), 200);
    let confirmed = 0;
    for (const order of waiting) {
      const bank = await this.accounts.bankClientNamed(SANDBOX_BANK_NAME, order.districtCode);
      const outcome = await this.receipts.receive(bank, {
        reference: order.reference,
        amountFen: order.amountFen,
        bankRef: `SANDBOX-${order.reference}`,
        receivedAt: now,
      });
      if (outcome.status === 'confirmed') confirmed += 1;
    }
    if (waiting.length) this.logger.log(`sandbox bank: ${waiting.length} orders received, ${confirmed} confirmed`);
    return confirmed;
  }
}
