import { Injectable } from '@nestjs/common';
import { AuditService, DomainError, Principal, districtLikePattern, nameBasedUuid, notFound } from '@app/core';
import { LedgerService } from '@app/ledger';
import { DataSource } from 'typeorm';
import { accountsOf } from '../tuition-accounts';

export interface StatementLine {
  date: string;
  amountFen: number;
  direction: 'in' | 'out';
  reference: string;
}

const SELECT_INSTRUCTION = `SELECT id, kind, institution_id AS "institutionId", district_code AS "districtCode", contract_id AS "contractId", amount_fen AS "amountFen",
  status, bank_ref AS "bankRef", executed_at AS "executedAt", created_at AS "createdAt" FROM payout_instructions`;

/** The supervising bank's side: payout instructions to execute, acknowledgements, statement lines. */
@Injectable()
export class BankService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async instructions(bank: Principal, status?: 'pending' | 'executed') {
    const items = await this.dataSource.query(
      `${SELECT_INSTRUCTION} WHERE district_code LIKE $1 AND ($2::text IS NULL OR status = $2) ORDER BY created_at, id LIMIT 500`,
      [districtLikePattern(bank) ?? '-', status ?? null],
    );
    return { items, total: items.length, page: 1, pageSize: 500 };
  }

  /**
   * The bank has executed an instruction. A parent refund leaves custody now (refunds → custody);
   * an institution payout already left it at settlement. A repeated acknowledgement changes nothing.
   */
  async acknowledge(bank: Principal, id: string, ack: { bankRef: string; executedAt: Date }) {
    return this.dataSource.transaction(async (manager) => {
      const [instruction] = await manager.query(`${SELECT_INSTRUCTION} WHERE id = $1 AND district_code LIKE $2 FOR UPDATE`, [
        id,
        districtLikePattern(bank) ?? '-',
      ]);
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
      await manager.query(`UPDATE payout_instructions SET status = 'executed', bank_ref = $2, executed_at = $3 WHERE id = $1`, [
        id,
        ack.bankRef,
        ack.executedAt,
      ]);
      await this.audit.record(manager, {
        action: 'payout.executed',
        targetType: 'payout_instruction',
        targetId: id,
        districtCode: instruction.districtCode,
        details: { bankRef: ack.bankRef, amountFen: instruction.amountFen, kind: instruction.kind },
      });
      const [updated] = await manager.query(`${SELECT_INSTRUCTION} WHERE id = $1`, [id]);
      return updated;
    });
  }
}
