import { Injectable, Logger } from '@nestjs/common';
import {
  AuditService,
  Clock,
  Db,
  DomainError,
  OutboxService,
  Principal,
  ReferenceDataService,
  canSeeDistrict,
  checkTransition,
  nameBasedUuid,
  notFound,
  transitionOrThrow,
  unprocessable,
} from '@app/core';
import { addDays, shanghaiMidnight } from '@app/core/calendar/shanghai-time';
import { LedgerService, TransferRequest } from '@app/ledger';
import { DistrictPolicyService, EnrolmentService } from '@app/registry';
import { DataSource } from 'typeorm';
import { BankService } from '../bank/bank.service';
import { PayoutInstructionsRepository } from '../bank/payout-instructions.repository';
import { ContractRow, ContractsRepository } from '../contracts/contracts.repository';
import { ContractsService } from '../contracts/contracts.service';
import { CONSUMPTION_TRANSITIONS } from '../lessons/consumption-transitions';
import { LessonsRepository } from '../lessons/lessons.repository';
import { SettlementsRepository } from '../settlement/settlements.repository';
import { accountsOf, escrowOf } from '../tuition-accounts';
import { TuitionErrors } from '../tuition.errors';
import { REFUND_REQUEST_TRANSITIONS } from './refund-request-transitions';
import { RefundRequestRow, RefundRequestView, RefundRequestsRepository } from './refund-requests.repository';

const REFUND_REFUSAL = { code: 'REFUND.INVALID_STATE', subject: 'the refund request' };
const AUTOMATIC_REASON = 'licence revoked or institution closed';

/** The ways a request ends accepted, and what the audit log calls each. */
type RefundAcceptance = 'accept' | 'deem_accepted' | 'accept_automatically';
const AUDIT_ACTION_OF: Record<RefundAcceptance, string> = {
  accept: 'refund.accepted',
  deem_accepted: 'refund.deemed_accepted',
  accept_automatically: 'refund.automatic',
};

export interface RefundOrder {
  reason: string;
  complaintId?: string;
  /** Confirmed lessons that were not delivered: their money comes back from the institution's payable, then its reserve. */
  clawbackLessons?: number;
}

/**
 * Refunds (docs/domain.md, “Escrow ledger”): a parent's request (accepted by the institution, or deemed accepted), a
 * regulator's order (made at once, with a claw-back of confirmed lessons), and the automatic refund of
 * every contract of an institution whose licence ended (a sweep: whatever happened to the first job).
 * Every refund is one transaction: the money moves escrow → refunds (claw-backs payable or reserve →
 * refunds) and the bank gets a payout instruction for the parent.
 */
@Injectable()
export class RefundsService {
  private readonly logger = new Logger(RefundsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RefundRequestsRepository,
    private readonly contractRows: ContractsRepository,
    private readonly lessons: LessonsRepository,
    private readonly payouts: PayoutInstructionsRepository,
    private readonly settlements: SettlementsRepository,
    private readonly ledger: LedgerService,
    private readonly contracts: ContractsService,
    private readonly bank: BankService,
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
      await this.requests.insert(manager, {
        id,
        kind: 'request',
        contractId,
        institutionId: contract.institutionId,
        reason,
        deemedAcceptedAt,
        createdAt: this.clock.now(),
      });
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
        const request = await this.lockInOrder(manager, id);
        if (!request || !checkTransition(REFUND_REQUEST_TRANSITIONS, 'deem_accepted', request.status, 'system').ok) return 0;
        await this.refund(manager, request, 'deemed accepted: no answer within the response window', 'deem_accepted');
        return 1;
      });
    }
    return accepted;
  }

  /**
   * A regulator's refund order (docs/domain.md, “Escrow ledger”), made at once: the contract's unconsumed money from escrow, and
   * a claw-back of confirmed lessons (not delivered) from the institution's payable, then its reserve. A
   * claw-back larger than both is refused, naming what is available, and nothing moves. Any request the
   * parent left open is superseded by the order. The order's id derives from the Idempotency-Key.
   */
  async order(regulator: Principal, contractId: string, order: RefundOrder, operationKey: string): Promise<RefundRequestView> {
    const id = nameBasedUuid('refund-order', regulator.id, operationKey);
    const found = await this.contractRows.find(this.dataSource.manager, contractId);
    if (!found || !canSeeDistrict(regulator, found.districtCode)) throw notFound('The contract', 'CONTRACT.NOT_FOUND');
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.requests.view(manager, id);
      if (existing) return existing;
      // Lock order: institution, contract, then accounts and reserve tranches.
      await this.enrolment.lockStanding(manager, found.institutionId);
      const contract = await this.contracts.lockContract(manager, contractId);
      const clawbackLessons = order.clawbackLessons ?? 0;
      const accounts = accountsOf(contract.institutionId);
      await this.ledger.lockAccounts(manager, [escrowOf(contractId), accounts.payable, accounts.reserve, accounts.refunds]);
      const clawback = await this.clawbackFrom(manager, contract, clawbackLessons);
      const escrowFen = await this.available(manager, contractId);
      if (escrowFen + clawback.totalFen <= 0)
        throw new DomainError(422, 'REFUND.NOTHING_TO_REFUND', 'Nothing unconsumed is left in escrow, and no claw-back was ordered.');

      const supersede = REFUND_REQUEST_TRANSITIONS.supersede;
      const now = this.clock.now();
      await this.requests.answerOpen(manager, contractId, supersede.from, {
        status: supersede.to,
        reason: 'superseded by the regulator’s refund order',
        at: now,
      });
      await this.requests.insert(manager, {
        id,
        kind: 'order',
        contractId,
        institutionId: contract.institutionId,
        reason: order.reason,
        deemedAcceptedAt: now,
        createdAt: now,
      });
      await this.requests.recordOrder(manager, id, {
        orderedBy: regulator.id,
        complaintId: order.complaintId ?? null,
        clawbackLessons,
        clawbackFen: clawback.totalFen,
      });
      const transfers: TransferRequest[] = [];
      const refundTransfer = (suffix: string, code: string, debitAccountId: string, amount: number) =>
        amount > 0 &&
        transfers.push({
          id: nameBasedUuid('refund-order', id, suffix),
          kind: 'posted',
          code,
          debitAccountId,
          creditAccountId: accounts.refunds,
          amount,
          contractId,
          referenceId: id,
        });
      refundTransfer('escrow', 'refund', escrowOf(contractId), escrowFen);
      refundTransfer('payable', 'clawback', accounts.payable, clawback.fromPayableFen);
      refundTransfer('reserve', 'clawback', accounts.reserve, clawback.fromReserveFen);
      await this.ledger.apply(manager, transfers);
      for (const taken of clawback.tranches) await this.settlements.clawBack(manager, taken.id, taken.amountFen);
      const amountFen = escrowFen + clawback.totalFen;
      await this.payouts.insert(manager, {
        id: nameBasedUuid('refund-payout', id),
        kind: 'parent_refund',
        institutionId: contract.institutionId,
        districtCode: contract.districtCode,
        contractId,
        amountFen,
        createdAt: now,
      });
      const to = transitionOrThrow(REFUND_REQUEST_TRANSITIONS, 'accept_by_order', 'requested', 'regulator', REFUND_REFUSAL);
      await this.requests.answer(manager, id, { status: to, reason: order.reason, amountFen, at: now });
      await this.contractRows.setStatus(manager, contractId, 'refunded');
      await this.audit.record(manager, {
        action: 'refund.ordered',
        targetType: 'contract',
        targetId: contractId,
        reason: order.reason,
        districtCode: contract.districtCode,
        details: { refundRequestId: id, amountFen, escrowFen, clawbackLessons, ...clawback, complaintId: order.complaintId ?? null },
      });
      await this.outbox.add(manager, 'refund.ordered', {
        institutionId: contract.institutionId,
        contractId,
        refundRequestId: id,
        amountFen,
        clawbackFen: clawback.totalFen,
        parentUserId: contract.parentUserId,
      });
      return (await this.requests.view(manager, id))!;
    });
  }

  /**
   * The refund sweep (a scheduled job, safe to run twice and to lose): every active contract of an
   * institution whose licence ended (revoked, expired unrenewed) is refunded, and the pending payouts of
   * a revoked or closed institution are cancelled back to its payable. Each contract is its own
   * transaction: one that fails raises an alert and the others go on.
   */
  async sweepEndedLicences(): Promise<{ refunded: number; failed: number; payoutsCancelled: number }> {
    const outcome = { refunded: 0, failed: 0, payoutsCancelled: 0 };
    for (const institutionId of await this.enrolment.endedLicences(this.dataSource.manager)) {
      const result = await this.refundInstitution(institutionId);
      outcome.refunded += result.refunded;
      outcome.failed += result.failed;
      outcome.payoutsCancelled += result.payoutsCancelled;
    }
    return outcome;
  }

  /** Revocation, expiry or closure of one institution: its contracts with money left are refunded. Idempotent. */
  async refundInstitution(institutionId: string): Promise<{ refunded: number; failed: number; payoutsCancelled: number }> {
    const outcome = { refunded: 0, failed: 0, payoutsCancelled: 0 };
    outcome.payoutsCancelled = await this.dataSource.transaction(async (manager) => {
      const standing = await this.enrolment.lockStanding(manager, institutionId);
      return standing.status === 'revoked' || standing.status === 'closed' ? this.bank.cancelPayoutsOf(manager, institutionId, standing.districtCode) : 0;
    });
    for (const contractId of await this.contractRows.idsOfInstitution(this.dataSource.manager, institutionId, ['active'])) {
      try {
        outcome.refunded += await this.dataSource.transaction((manager) => this.refundAutomatically(manager, institutionId, contractId));
      } catch (error) {
        outcome.failed += 1;
        this.logger.warn(`automatic refund of contract ${contractId} failed: ${(error as Error).message}`);
        const contract = await this.contractRows.find(this.dataSource.manager, contractId);
        await this.outbox.add(this.dataSource.manager, 'refund.sweep_failed', {
          institutionId,
          contractId,
          districtCode: contract?.districtCode ?? '',
          error: (error as Error).message.slice(0, 300),
        });
      }
    }
    return outcome;
  }

  /** An owner's refund requests, newest first. */
  async listForInstitutionOwner(owner: Principal, status?: string): Promise<RefundRequestView[]> {
    return this.requests.ofInstitutions(this.dataSource.manager, await this.enrolment.ownedBy(this.dataSource.manager, owner.id), status, 100);
  }

  /** One contract of an institution whose licence ended: undecided lessons voided, open requests superseded, the rest refunded. */
  private async refundAutomatically(db: Db, institutionId: string, contractId: string): Promise<number> {
    // The one lock order: institution → contract → its lessons and refund requests → ledger accounts.
    await this.enrolment.lockStanding(db, institutionId);
    const contract = await this.contracts.lockContract(db, contractId);
    if (contract.status !== 'active') return 0;
    // Lessons waiting for confirmation are voided: the institution can no longer be paid for them.
    const undecided = await this.lessons.lockOfContract(db, contractId, CONSUMPTION_TRANSITIONS.void_for_refund.from);
    const accounts = accountsOf(contract.institutionId);
    await this.ledger.lockAccounts(db, [escrowOf(contractId), accounts.payable, accounts.refunds]);
    if (undecided.length) {
      await this.ledger.apply(
        db,
        undecided.map((id) => ({
          id: nameBasedUuid('void', id),
          kind: 'void_pending' as const,
          pendingId: id,
          code: 'lesson_voided',
          contractId,
          referenceId: id,
        })),
      );
      await this.lessons.resolve(db, undecided, CONSUMPTION_TRANSITIONS.void_for_refund.to, this.clock.now());
    }
    const supersede = REFUND_REQUEST_TRANSITIONS.supersede;
    const now = this.clock.now();
    await this.requests.answerOpen(db, contractId, supersede.from, { status: supersede.to, reason: 'superseded by the automatic refund', at: now });
    const requestId = nameBasedUuid('refund-request', 'institution-closed', contractId);
    await this.requests.insert(db, {
      id: requestId,
      kind: 'automatic',
      contractId,
      institutionId: contract.institutionId,
      reason: AUTOMATIC_REASON,
      deemedAcceptedAt: now,
      createdAt: now,
    });
    const request = (await this.requests.lock(db, requestId))!;
    if (!checkTransition(REFUND_REQUEST_TRANSITIONS, 'accept_automatically', request.status, 'system').ok) return 0;
    await this.refund(db, request, AUTOMATIC_REASON, 'accept_automatically');
    return 1;
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

  /**
   * Where a claw-back of `lessons` confirmed lessons comes from: payable first, then the reserve's
   * tranches, oldest first. 422 when the contract has fewer confirmed lessons left to claw back, or when
   * payable and reserve together do not cover it (the answer names what is available).
   */
  private async clawbackFrom(
    db: Db,
    contract: ContractRow,
    lessons: number,
  ): Promise<{ totalFen: number; fromPayableFen: number; fromReserveFen: number; tranches: Array<{ id: string; amountFen: number }> }> {
    if (lessons === 0) return { totalFen: 0, fromPayableFen: 0, fromReserveFen: 0, tranches: [] };
    const [use] = await this.contractRows.use(db, [contract.id]);
    const confirmedLessons = Math.round((use?.confirmedFen ?? 0) / contract.lessonPriceFen);
    const claimable = confirmedLessons - (await this.requests.clawedBackLessons(db, contract.id));
    if (lessons > claimable) {
      throw unprocessable('REFUND.CLAWBACK_EXCEEDS_CONFIRMED', `Only ${claimable} confirmed lessons of this contract can still be clawed back.`, {
        claimableLessons: claimable,
        errors: [{ field: 'clawbackLessons', message: `at most ${claimable}` }],
      });
    }
    const totalFen = lessons * contract.lessonPriceFen;
    const accounts = accountsOf(contract.institutionId);
    const [payable, reserve] = await this.ledger
      .balances(db, [accounts.payable, accounts.reserve])
      .then((found) => [accounts.payable, accounts.reserve].map((id) => found.find((account) => account.id === id)));
    const payableFen = payable ? payable.creditsPosted - payable.debitsPosted : 0;
    const reserveFen = reserve ? reserve.creditsPosted - reserve.debitsPosted : 0;
    if (totalFen > payableFen + reserveFen) {
      throw unprocessable(
        'REFUND.CLAWBACK_UNCOVERED',
        `The claw-back of ${totalFen} fen exceeds what the institution holds: ${payableFen + reserveFen} fen in payable and reserve.`,
        {
          clawbackFen: totalFen,
          availableFen: payableFen + reserveFen,
          payableFen,
          reserveFen,
        },
      );
    }
    const fromPayableFen = Math.min(totalFen, payableFen);
    let left = totalFen - fromPayableFen;
    const tranches: Array<{ id: string; amountFen: number }> = [];
    for (const tranche of await this.settlements.lockDueTranches(db, contract.institutionId, null)) {
      if (left <= 0) break;
      const taken = Math.min(left, tranche.amount);
      if (taken > 0) tranches.push({ id: tranche.id, amountFen: taken });
      left -= taken;
    }
    return { totalFen, fromPayableFen, fromReserveFen: totalFen - fromPayableFen, tranches };
  }

  /** Unconsumed and not pending: the escrow's posted credit minus posted and pending debits. */
  private async available(db: Db, contractId: string): Promise<number> {
    const [escrow] = await this.ledger.balances(db, [escrowOf(contractId)]);
    return escrow ? escrow.creditsPosted - escrow.debitsPosted - escrow.debitsPending : 0;
  }

  /**
   * Locks a request in the one lock order (docs/architecture.md, "Money: transactions and locks"):
   * institution → contract → refund request. The revocation sweep locks the contract and then supersedes
   * its open requests; answering a request by locking the request first and the contract second was the
   * opposite order, a deadlock with a sweep running for the same contract.
   */
  private async lockInOrder(db: Db, id: string): Promise<RefundRequestRow | undefined> {
    const place = await this.requests.placeOf(db, id);
    if (!place) return undefined;
    await this.enrolment.lockStanding(db, place.institutionId);
    await this.contracts.lockContract(db, place.contractId);
    return this.requests.lock(db, id);
  }

  private async lockOwned(db: Db, id: string, owner: Principal): Promise<RefundRequestRow> {
    const place = await this.requests.placeOf(db, id);
    const request = place && (await this.enrolment.ownedBy(db, owner.id)).includes(place.institutionId) ? await this.lockInOrder(db, id) : undefined;
    if (!request) throw notFound('The refund request', 'REFUND.NOT_FOUND');
    return request;
  }
}
