import { Injectable } from '@nestjs/common';
import {
  AuditService,
  Clock,
  Db,
  DomainError,
  OutboxService,
  Principal,
  ReferenceDataService,
  checkTransition,
  nameBasedUuid,
  notFound,
  transitionOrThrow,
} from '@app/core';
import { addDays, shanghaiMidnight } from '@app/core/calendar/shanghai-time';
import { LedgerService } from '@app/ledger';
import { DistrictPolicyService, EnrolmentService } from '@app/registry';
import { DataSource } from 'typeorm';
import { PayoutInstructionsRepository } from '../bank/payout-instructions.repository';
import { ContractsRepository } from '../contracts/contracts.repository';
import { ContractsService } from '../contracts/contracts.service';
import { CONSUMPTION_TRANSITIONS } from '../lessons/consumption-transitions';
import { LessonsRepository } from '../lessons/lessons.repository';
import { accountsOf, escrowOf } from '../tuition-accounts';
import { TuitionErrors } from '../tuition.errors';
import { REFUND_REQUEST_TRANSITIONS } from './refund-request-transitions';
import { RefundRequestRow, RefundRequestView, RefundRequestsRepository } from './refund-requests.repository';

const REFUND_REFUSAL = { code: 'REFUND.INVALID_STATE', subject: 'the refund request' };

/** The ways a request ends accepted, and what the audit log calls each. */
type RefundAcceptance = 'accept' | 'deem_accepted' | 'accept_automatically';
const AUDIT_ACTION_OF: Record<RefundAcceptance, string> = {
  accept: 'refund.accepted',
  deem_accepted: 'refund.deemed_accepted',
  accept_automatically: 'refund.automatic',
};

@Injectable()
export class RefundsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RefundRequestsRepository,
    private readonly contractRows: ContractsRepository,
    private readonly lessons: LessonsRepository,
    private readonly payouts: PayoutInstructionsRepository,
    private readonly ledger: LedgerService,
    private readonly contracts: ContractsService,
    private readonly enrolment: EnrolmentService,
    private readonly policies: DistrictPolicyService,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** A parent asks for everything unconsumed and not pending; the institution has N working days to answer. */
  async request(parent: Principal, contractId: string, reason: string, operationKey: string): Promise<RefundRequestView> {
    const id = nameBasedUuid('refund-request', parent.id, operationKey);
    return this.dataSource.transaction(async (manager) => {
      const contract = await this.contracts.lockContract(manager, contractId, parent);
      const existing = await this.requests.view(manager, id);
      if (existing) return existing;
      if (contract.status !== 'active' && contract.status !== 'refunded') throw TuitionErrors.notActive(contract.status);
      const open = await this.requests.openOf(manager, contractId);
      if (open)
        throw new DomainError(409, 'REFUND.ALREADY_REQUESTED', 'A refund request for this contract is already waiting for an answer.', {
          refundRequestId: open.id,
        });
      if ((await this.available(manager, contractId)) <= 0)
        throw new DomainError(422, 'REFUND.NOTHING_TO_REFUND', 'Nothing unconsumed and not pending is left in escrow.');
      const policy = await this.policies.policyOf(contract.districtCode);
      const calendar = await this.reference.workingDayCalendar();
      const deemedAcceptedAt = shanghaiMidnight(addDays(calendar.addWorkingDays(this.clock.today(), policy.refundResponseWorkingDays), 1));
      await this.requests.insert(manager, { id, contractId, institutionId: contract.institutionId, reason, deemedAcceptedAt, createdAt: this.clock.now() });
      await this.outbox.add(manager, 'refund.requested', { institutionId: contract.institutionId, contractId, refundRequestId: id });
      return (await this.requests.view(manager, id))!;
    });
  }

  async accept(owner: Principal, id: string, reason: string | null): Promise<RefundRequestView> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.lockOwned(manager, id, owner);
      return this.refund(manager, request, reason, 'accept');
    });
  }

  /** A rejected refund goes to the district's regulators as a complaint (oversight picks up the event). */
  async reject(owner: Principal, id: string, reason: string): Promise<RefundRequestView> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.lockOwned(manager, id, owner);
      const to = transitionOrThrow(REFUND_REQUEST_TRANSITIONS, 'reject', request.status, 'institution', REFUND_REFUSAL);
      await this.requests.answer(manager, id, { status: to, reason, at: this.clock.now() });
      await this.outbox.add(manager, 'refund.rejected', { institutionId: request.institutionId, contractId: request.contractId, refundRequestId: id, reason });
      return (await this.requests.view(manager, id))!;
    });
  }

  /** Accepts every request the institution left unanswered past its deadline. Safe to run twice. */
  async autoAcceptDue(): Promise<number> {
    let accepted = 0;
    for (const id of await this.requests.due(this.dataSource.manager, this.clock.now())) {
      accepted += await this.dataSource.transaction(async (manager) => {
        const request = await this.requests.lock(manager, id);
        if (!request || !checkTransition(REFUND_REQUEST_TRANSITIONS, 'deem_accepted', request.status, 'system').ok) return 0;
        await this.refund(manager, request, 'deemed accepted: no answer within the response window', 'deem_accepted');
        return 1;
      });
    }
    return accepted;
  }

  /** Revocation or closure: every contract of the institution with money left is refunded. Idempotent. */
  async refundInstitution(institutionId: string): Promise<number> {
    let refunded = 0;
    for (const contractId of await this.contractRows.idsOfInstitution(this.dataSource.manager, institutionId, ['active', 'awaiting_payment'])) {
      refunded += await this.dataSource.transaction(async (manager) => {
        const contract = await this.contracts.lockContract(manager, contractId);
        // Lessons waiting for confirmation are voided: the institution can no longer be paid for them.
        const undecided = await this.lessons.lockOfContract(manager, contractId, CONSUMPTION_TRANSITIONS.void_for_refund.from);
        const accounts = accountsOf(contract.institutionId);
        await this.ledger.lockAccounts(manager, [escrowOf(contractId), accounts.payable, accounts.refunds]);
        if (undecided.length) {
          await this.ledger.apply(
            manager,
            undecided.map((id) => ({
              id: nameBasedUuid('void', id),
              kind: 'void_pending' as const,
              pendingId: id,
              code: 'lesson_voided',
              contractId,
              referenceId: id,
            })),
          );
          await this.lessons.resolve(manager, undecided, CONSUMPTION_TRANSITIONS.void_for_refund.to, this.clock.now());
        }
        const supersede = REFUND_REQUEST_TRANSITIONS.supersede;
        await this.requests.answerOpen(manager, contractId, supersede.from, {
          status: supersede.to,
          reason: 'superseded by the automatic refund',
          at: this.clock.now(),
        });
        const requestId = nameBasedUuid('refund-request', 'institution-closed', contractId);
        const now = this.clock.now();
        await this.requests.insert(manager, {
          id: requestId,
          contractId,
          institutionId: contract.institutionId,
          reason: 'licence revoked or institution closed',
          deemedAcceptedAt: now,
          createdAt: now,
        });
        const request = (await this.requests.lock(manager, requestId))!;
        if (!checkTransition(REFUND_REQUEST_TRANSITIONS, 'accept_automatically', request.status, 'system').ok) return 0;
        await this.refund(manager, request, 'licence revoked or institution closed', 'accept_automatically');
        return 1;
      });
    }
    return refunded;
  }

  /** An owner's refund requests, newest first. */
  async listForInstitutionOwner(owner: Principal, status?: string): Promise<RefundRequestView[]> {
    return this.requests.ofInstitutions(this.dataSource.manager, await this.enrolment.ownedBy(this.dataSource.manager, owner.id), status, 100);
  }

  private async refund(db: Db, request: RefundRequestRow, reason: string | null, how: RefundAcceptance): Promise<RefundRequestView> {
    const to = transitionOrThrow(REFUND_REQUEST_TRANSITIONS, how, request.status, how === 'accept' ? 'institution' : 'system', REFUND_REFUSAL);
    // Lock order: the contract row before any ledger account (as lessons and payments do).
    await this.contracts.lockContract(db, request.contractId);
    const accounts = accountsOf(request.institutionId);
    await this.ledger.lockAccounts(db, [escrowOf(request.contractId), accounts.refunds]);
    const amount = await this.available(db, request.contractId);
    if (amount > 0) {
      await this.ledger.apply(db, [
        {
          id: nameBasedUuid('refund', request.id),
          kind: 'posted',
          code: 'refund',
          debitAccountId: escrowOf(request.contractId),
          creditAccountId: accounts.refunds,
          amount,
          contractId: request.contractId,
          referenceId: request.id,
        },
      ]);
      await this.payouts.insert(db, {
        id: nameBasedUuid('refund-payout', request.id),
        kind: 'parent_refund',
        institutionId: request.institutionId,
        districtCode: request.districtCode,
        contractId: request.contractId,
        amountFen: amount,
        createdAt: this.clock.now(),
      });
    }
    await this.requests.answer(db, request.id, { status: to, reason, amountFen: amount, at: this.clock.now() });
    await this.contractRows.setStatus(db, request.contractId, 'refunded');
    await this.audit.record(db, {
      action: AUDIT_ACTION_OF[how],
      targetType: 'contract',
      targetId: request.contractId,
      reason,
      districtCode: request.districtCode,
      details: { refundRequestId: request.id, amountFen: amount },
    });
    await this.outbox.add(db, 'refund.accepted', {
      institutionId: request.institutionId,
      contractId: request.contractId,
      refundRequestId: request.id,
      amountFen: amount,
    });
    return (await this.requests.view(db, request.id))!;
  }

  /** Unconsumed and not pending: the escrow's posted credit minus posted and pending debits. */
  private async available(db: Db, contractId: string): Promise<number> {
    const [escrow] = await this.ledger.balances(db, [escrowOf(contractId)]);
    return escrow ? escrow.creditsPosted - escrow.debitsPosted - escrow.debitsPending : 0;
  }

  private async lockOwned(db: Db, id: string, owner: Principal): Promise<RefundRequestRow> {
    const request = await this.requests.lock(db, id);
    if (!request || !(await this.enrolment.ownedBy(db, owner.id)).includes(request.institutionId)) throw notFound('The refund request', 'REFUND.NOT_FOUND');
    return request;
  }
}
