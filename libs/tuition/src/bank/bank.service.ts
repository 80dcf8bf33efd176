import { Injectable } from '@nestjs/common';
import { AuditService, DomainError, Principal, districtLikePattern, nameBasedUuid, notFound } from '@app/core';
import { LedgerService } from '@app/ledger';
import { DataSource } from 'typeorm';
import { accountsOf } from '../tuition-accounts';
import { PayoutInstructionRow, PayoutInstructionsRepository, PayoutStatus } from './payout-instructions.repository';

/** The supervising bank's side: payout instructions to execute, and their acknowledgement. */
@Injectable()
export class BankService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payouts: PayoutInstructionsRepository,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async instructions(bank: Principal, status?: PayoutStatus): Promise<{ items: PayoutInstructionRow[]; total: number; page: number; pageSize: number }> {
    const items = await this.payouts.inScope(this.dataSource.manager, districtLikePattern(bank) ?? '-', status, 500);
    return { items, total: items.length, page: 1, pageSize: 500 };
  }

  /**
   * The bank has executed an instruction. A parent refund leaves custody now (refunds → custody);
   * an institution payout already left it at settlement. A repeated acknowledgement changes nothing.
   */
  async acknowledge(bank: Principal, id: string, ack: { bankRef: string; executedAt: Date }): Promise<PayoutInstructionRow> {
    return this.dataSource.transaction(async (manager) => {
      const instruction = await this.payouts.lockInScope(manager, id, districtLikePattern(bank) ?? '-');
      if (!instruction) throw notFound('The payout instruction', 'BANK.INSTRUCTION_NOT_FOUND');
      if (instruction.status === 'executed') {
        if (instruction.bankRef === ack.bankRef) return instruction;
        throw new DomainError(409, 'BANK.ALREADY_EXECUTED', `The instruction was already acknowledged with bank reference ${instruction.bankRef}.`);
      }
      if (instruction.kind === 'parent_refund') {
        const accounts = accountsOf(instruction.institutionId);
        await this.ledger.apply(manager, [
          {
            id: nameBasedUuid('refund-paid', id),
            kind: 'posted',
            code: 'refund_paid',
            debitAccountId: accounts.refunds,
            creditAccountId: accounts.custody,
            amount: instruction.amountFen,
            contractId: instruction.contractId,
            referenceId: id,
          },
        ]);
      }
      await this.payouts.markExecuted(manager, id, ack);
      await this.audit.record(manager, {
        action: 'payout.executed',
        targetType: 'payout_instruction',
        targetId: id,
        districtCode: instruction.districtCode,
        details: { bankRef: ack.bankRef, amountFen: instruction.amountFen, kind: instruction.kind },
      });
      return (await this.payouts.find(manager, id))!;
    });
  }
}
