import { Injectable } from '@nestjs/common';
import { AuditService, Clock, Db, DomainError, Principal, checkTransition, districtLikePattern, districtPrefix, nameBasedUuid, notFound } from '@app/core';
import { LedgerService } from '@app/ledger';
import { EnrolmentService, InstitutionStanding } from '@app/registry';
import { DataSource } from 'typeorm';
import { accountsOf } from '../tuition-accounts';
import { PAYOUT_TRANSITIONS } from './payout-instruction-transitions';
import { PayoutInstructionRow, PayoutInstructionsRepository, PayoutStatus } from './payout-instructions.repository';

type InstructionPage = { items: PayoutInstructionRow[]; total: number; page: number; pageSize: number };

/**
 * Payout instructions: what the supervising bank executes, and what the desks show. A settlement payout
 * of an institution not in good standing is held (docs/domain.md, "Escrow ledger"): the bank does not see it as pending and
 * cannot execute it, and it is pending again the moment the institution is back in good standing (or
 * cancelled on revocation or closure). Held is derived from the institution's standing when asked, so
 * no freeze can race a payout already listed.
 */
@Injectable()
export class BankService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payouts: PayoutInstructionsRepository,
    private readonly ledger: LedgerService,
    private readonly enrolment: EnrolmentService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The bank's instructions, in its districts: `pending` excludes held ones; each item has its status. */
  async instructions(bank: Principal, status?: PayoutStatus): Promise<InstructionPage> {
    const db = this.dataSource.manager;
    const districtPattern = districtLikePattern(bank) ?? '-';
    const held = await this.enrolment.notInGoodStanding(db, districtPattern);
    const items = await this.payouts.list(db, { districtPattern }, { status, held, limit: 500 });
    return { items, total: items.length, page: 1, pageSize: 500 };
  }

  /** Instructions an owner's institutions or a regulator's districts are paid by (or hold), for the desks. */
  async ofScope(principal: Principal, filter: { institutionId?: string; status?: PayoutStatus }): Promise<InstructionPage> {
    const db = this.dataSource.manager;
    const prefix = districtPrefix(principal);
    let scope: { districtPattern: string } | { institutionIds: string[] } =
      principal.role === 'institution' ? { institutionIds: await this.enrolment.ownedBy(db, principal.id) } : { districtPattern: `${prefix ?? '-'}%` };
    if (filter.institutionId) {
      const visible =
        'institutionIds' in scope
          ? scope.institutionIds.includes(filter.institutionId)
          : (await this.enrolment.inScopeOf(db, principal)).includes(filter.institutionId);
      scope = { institutionIds: visible ? [filter.institutionId] : [] };
    }
    const held = await this.enrolment.notInGoodStanding(db, `${prefix ?? ''}%`);
    const items = await this.payouts.list(db, scope, { status: filter.status, held, limit: 500 });
    return { items, total: items.length, page: 1, pageSize: 500 };
  }

  /**
   * The bank has executed an instruction: the money leaves custody now (payouts → custody for an
   * institution, refunds → custody for a parent). A repeated acknowledgement changes nothing; a held
   * or cancelled instruction cannot be executed.
   */
  async acknowledge(bank: Principal, id: string, ack: { bankRef: string; executedAt: Date }): Promise<PayoutInstructionRow> {
    const districtPattern = districtLikePattern(bank) ?? '-';
    const listed = await this.payouts.lockInScope(this.dataSource.manager, id, districtPattern);
    if (!listed) throw notFound('The payout instruction', 'BANK.INSTRUCTION_NOT_FOUND');
    return this.dataSource.transaction(async (manager) => {
      // Lock order: the institution first, so a freeze or a suspension and this payout queue for each other.
      const standing = await this.enrolment.lockStanding(manager, listed.institutionId);
      const instruction = (await this.payouts.lockInScope(manager, id, districtPattern))!;
      // The same acknowledgement again (a retry) answers as the first did.
      if (instruction.status === 'executed' && instruction.bankRef === ack.bankRef) return instruction;
      const seen: PayoutStatus =
        instruction.status === 'pending' && instruction.kind === 'institution_payout' && !this.enrolment.inGoodStanding(standing) ? 'held' : instruction.status;
      if (!checkTransition(PAYOUT_TRANSITIONS, 'execute', seen, 'bank').ok) throw this.notExecutable(seen, standing, instruction.bankRef);
      const accounts = accountsOf(instruction.institutionId);
      const fromInstitutionSide =
        instruction.kind === 'parent_refund' ? { code: 'refund_paid', from: accounts.refunds } : { code: 'payout_paid', from: accounts.payouts };
      await this.ledger.apply(manager, [
        {
          id: nameBasedUuid(fromInstitutionSide.code, id),
          kind: 'posted',
          code: fromInstitutionSide.code,
          debitAccountId: fromInstitutionSide.from,
          creditAccountId: accounts.custody,
          amount: instruction.amountFen,
          contractId: instruction.contractId,
          referenceId: id,
        },
      ]);
      await this.payouts.markExecuted(manager, id, ack);
      await this.audit.record(manager, {
        action: 'payout.executed',
        targetType: 'payout_instruction',
        targetId: id,
        districtCode: instruction.districtCode,
        details: { bankRef: ack.bankRef, amountFen: instruction.amountFen, kind: instruction.kind },
      });
      return (await this.payouts.find(manager, id, []))!;
    });
  }

  /** Why the bank may not execute an instruction in this state, with the state as the refusal's `currentStatus`. */
  private notExecutable(status: PayoutStatus, standing: InstitutionStanding, bankRef: string | null): DomainError {
    if (status === 'held') {
      return new DomainError(409, 'PAYOUT.HELD', `The payout is held: the institution is ${standing.status}${standing.frozen ? ' and frozen' : ''}.`, {
        currentStatus: 'held',
      });
    }
    if (status === 'cancelled') {
      return new DomainError(409, 'PAYOUT.CANCELLED', 'The instruction was cancelled: its money went back to the institution’s payable.', {
        currentStatus: 'cancelled',
      });
    }
    return new DomainError(409, 'BANK.ALREADY_EXECUTED', `The instruction was already acknowledged with bank reference ${bankRef}.`, { currentStatus: status });
  }

  /** Cancels the institution's pending settlement payouts: their money goes back to its payable. In the caller's transaction. */
  async cancelPayoutsOf(db: Db, institutionId: string, districtCode: string): Promise<number> {
    const pending = await this.payouts.lockPendingPayoutsOf(db, institutionId);
    if (!pending.length) return 0;
    const accounts = accountsOf(institutionId);
    await this.ledger.apply(
      db,
      pending.map((payout) => ({
        id: nameBasedUuid('payout_cancelled', payout.id),
        kind: 'posted' as const,
        code: 'payout_cancelled',
        debitAccountId: accounts.payouts,
        creditAccountId: accounts.payable,
        amount: payout.amountFen,
        referenceId: payout.id,
      })),
    );
    await this.payouts.cancel(
      db,
      pending.map((payout) => payout.id),
      this.clock.now(),
    );
    await this.audit.record(db, {
      action: 'payouts.cancelled',
      targetType: 'institution',
      targetId: institutionId,
      districtCode,
      actor: { id: null, role: 'system' },
      details: { payouts: pending.map((payout) => payout.id), amountFen: pending.reduce((sum, payout) => sum + payout.amountFen, 0) },
    });
    return pending.length;
  }
}
