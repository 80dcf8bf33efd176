import { Injectable } from '@nestjs/common';
import {
  AuditService,
  Clock,
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
import { DistrictPolicyService } from '@app/registry';
import { DataSource, EntityManager } from 'typeorm';
import { ContractsService } from '../contracts/contracts.service';
import { accountsOf, escrowOf } from '../tuition-accounts';
import { CONSUMPTION_TRANSITIONS } from '../lessons/consumption-transitions';
import { TuitionErrors } from '../tuition.errors';
import { REFUND_REQUEST_TRANSITIONS, RefundRequestStatus } from './refund-request-transitions';

const REFUND_REFUSAL = { code: 'REFUND.INVALID_STATE', subject: 'the refund request' };

/** The ways a request ends accepted, and what the audit log calls each. */
type RefundAcceptance = 'accept' | 'deem_accepted' | 'accept_automatically';
const AUDIT_ACTION_OF: Record<RefundAcceptance, string> = {
  accept: 'refund.accepted',
  deem_accepted: 'refund.deemed_accepted',
  accept_automatically: 'refund.automatic',
};

interface RefundRequestRow {
  id: string;
  contractId: string;
  institutionId: string;
  status: RefundRequestStatus;
  districtCode: string;
}

@Injectable()
export class RefundsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly contracts: ContractsService,
    private readonly policies: DistrictPolicyService,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** A parent asks for everything unconsumed and not pending; the institution has N working days to answer. */
  async request(parent: Principal, contractId: string, reason: string, operationKey: string) {
    const id = nameBasedUuid('refund-request', parent.id, operationKey);
    return this.dataSource.transaction(async (manager) => {
      const contract = await this.contracts.lockContract(manager, contractId, parent);
      const [existing] = await manager.query(`SELECT id FROM refund_requests WHERE id = $1`, [id]);
      if (existing) return this.view(manager, id);
      if (contract.status !== 'active' && contract.status !== 'refunded') throw TuitionErrors.notActive(contract.status);
      const [open] = await manager.query(`SELECT id FROM refund_requests WHERE contract_id = $1 AND status = 'requested'`, [contractId]);
      if (open)
        throw new DomainError(409, 'REFUND.ALREADY_REQUESTED', 'A refund request for this contract is already waiting for an answer.', {
          refundRequestId: open.id,
        });
      if ((await this.available(manager, contractId)) <= 0)
        throw new DomainError(422, 'REFUND.NOTHING_TO_REFUND', 'Nothing unconsumed and not pending is left in escrow.');
      const policy = await this.policies.policyOf(contract.districtCode);
      const calendar = await this.reference.workingDayCalendar();
      const deemedAcceptedAt = shanghaiMidnight(addDays(calendar.addWorkingDays(this.clock.today(), policy.refundResponseWorkingDays), 1));
      await manager.query(
        `INSERT INTO refund_requests (id, contract_id, institution_id, reason, status, deemed_accepted_at, created_at) VALUES ($1, $2, $3, $4, 'requested', $5, $6)`,
        [id, contractId, contract.institutionId, reason, deemedAcceptedAt, this.clock.now()],
      );
      await this.outbox.add(manager, 'refund.requested', { institutionId: contract.institutionId, contractId, refundRequestId: id });
      return this.view(manager, id);
    });
  }

  async accept(owner: Principal, id: string, reason: string | null) {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.lockOwned(manager, id, owner);
      return this.refund(manager, request, reason, 'accept');
    });
  }

  /** A rejected refund goes to the district's regulators as a complaint (oversight picks up the event). */
  async reject(owner: Principal, id: string, reason: string) {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.lockOwned(manager, id, owner);
      const to = transitionOrThrow(REFUND_REQUEST_TRANSITIONS, 'reject', request.status, 'institution', REFUND_REFUSAL);
      await manager.query(`UPDATE refund_requests SET status = $4, answer_reason = $2, answered_at = $3 WHERE id = $1`, [id, reason, this.clock.now(), to]);
      await this.outbox.add(manager, 'refund.rejected', { institutionId: request.institutionId, contractId: request.contractId, refundRequestId: id, reason });
      return this.view(manager, id);
    });
  }

  /** Accepts every request the institution left unanswered past its deadline. Safe to run twice. */
  async autoAcceptDue(): Promise<number> {
    const due: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM refund_requests WHERE status = 'requested' AND deemed_accepted_at <= $1`, [
      this.clock.now(),
    ]);
    let accepted = 0;
    for (const { id } of due) {
      accepted += await this.dataSource.transaction(async (manager) => {
        const [request] = await this.lock(manager, id);
        if (!request || !checkTransition(REFUND_REQUEST_TRANSITIONS, 'deem_accepted', request.status, 'system').ok) return 0;
        await this.refund(manager, request, 'deemed accepted: no answer within the response window', 'deem_accepted');
        return 1;
      });
    }
    return accepted;
  }

  /** Revocation or closure: every contract of the institution with money left is refunded. Idempotent. */
  async refundInstitution(institutionId: string): Promise<number> {
    const contracts: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM contracts WHERE institution_id = $1 AND status IN ('active', 'awaiting_payment')`,
      [institutionId],
    );
    let refunded = 0;
    for (const { id: contractId } of contracts) {
      refunded += await this.dataSource.transaction(async (manager) => {
        const contract = await this.contracts.lockContract(manager, contractId);
        // Lessons waiting for confirmation are voided: the institution can no longer be paid for them.
        const pending: Array<{ id: string }> = await manager.query(
          `SELECT id FROM consumptions WHERE contract_id = $1 AND status = ANY($2::text[]) FOR UPDATE`,
          [contractId, CONSUMPTION_TRANSITIONS.void_for_refund.from],
        );
        const accounts = accountsOf(contract.institutionId);
        await this.ledger.lockAccounts(manager, [escrowOf(contractId), accounts.payable, accounts.refunds]);
        if (pending.length) {
          await this.ledger.apply(
            manager,
            pending.map(({ id }) => ({
              id: nameBasedUuid('void', id),
              kind: 'void_pending' as const,
              pendingId: id,
              code: 'lesson_voided',
              contractId,
              referenceId: id,
            })),
          );
          await manager.query(`UPDATE consumptions SET status = $3, resolved_at = $2 WHERE id = ANY($1::uuid[])`, [
            pending.map(({ id }) => id),
            this.clock.now(),
            CONSUMPTION_TRANSITIONS.void_for_refund.to,
          ]);
        }
        const requestId = nameBasedUuid('refund-request', 'institution-closed', contractId);
        await manager.query(
          `UPDATE refund_requests SET status = $4, answer_reason = 'superseded by the automatic refund', answered_at = $2 WHERE contract_id = $1 AND status = ANY($3::text[])`,
          [contractId, this.clock.now(), REFUND_REQUEST_TRANSITIONS.supersede.from, REFUND_REQUEST_TRANSITIONS.supersede.to],
        );
        await manager.query(
          `INSERT INTO refund_requests (id, contract_id, institution_id, reason, status, deemed_accepted_at, created_at)
           VALUES ($1, $2, $3, 'licence revoked or institution closed', 'requested', $4, $4) ON CONFLICT DO NOTHING`,
          [requestId, contractId, contract.institutionId, this.clock.now()],
        );
        const [request] = await this.lock(manager, requestId);
        if (!checkTransition(REFUND_REQUEST_TRANSITIONS, 'accept_automatically', request.status, 'system').ok) return 0;
        await this.refund(manager, request, 'licence revoked or institution closed', 'accept_automatically');
        return 1;
      });
    }
    return refunded;
  }

  private async refund(manager: EntityManager, request: RefundRequestRow, reason: string | null, how: RefundAcceptance) {
    const to = transitionOrThrow(REFUND_REQUEST_TRANSITIONS, how, request.status, how === 'accept' ? 'institution' : 'system', REFUND_REFUSAL);
    // Lock order: the contract row before any ledger account (as lessons and payments do).
    await this.contracts.lockContract(manager, request.contractId);
    await this.ledger.lockAccounts(manager, [escrowOf(request.contractId), accountsOf(request.institutionId).refunds]);
    const amount = await this.available(manager, request.contractId);
    if (amount > 0) {
      const accounts = accountsOf(request.institutionId);
      await this.ledger.apply(manager, [
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
      await manager.query(
        `INSERT INTO payout_instructions (id, kind, institution_id, district_code, contract_id, amount_fen, status, created_at)
         VALUES ($1, 'parent_refund', $2, $3, $4, $5, 'pending', $6)`,
        [nameBasedUuid('refund-payout', request.id), request.institutionId, request.districtCode, request.contractId, amount, this.clock.now()],
      );
    }
    await manager.query(`UPDATE refund_requests SET status = $5, amount_fen = $2, answer_reason = $3, answered_at = $4 WHERE id = $1`, [
      request.id,
      amount,
      reason,
      this.clock.now(),
      to,
    ]);
    await manager.query(`UPDATE contracts SET status = 'refunded' WHERE id = $1`, [request.contractId]);
    await this.audit.record(manager, {
      action: AUDIT_ACTION_OF[how],
      targetType: 'contract',
      targetId: request.contractId,
      reason,
      districtCode: request.districtCode,
      details: { refundRequestId: request.id, amountFen: amount },
    });
    await this.outbox.add(manager, 'refund.accepted', {
      institutionId: request.institutionId,
      contractId: request.contractId,
      refundRequestId: request.id,
      amountFen: amount,
    });
    return this.view(manager, request.id);
  }

  /** Unconsumed and not pending: the escrow's posted credit minus posted and pending debits. */
  private async available(manager: EntityManager, contractId: string): Promise<number> {
    const [row] = await manager.query(`SELECT credits_posted - debits_posted - debits_pending AS available FROM ledger_accounts WHERE id = $1`, [
      escrowOf(contractId),
    ]);
    return row?.available ?? 0;
  }

  private lock(manager: EntityManager, id: string): Promise<RefundRequestRow[]> {
    return manager.query(
      `SELECT r.id, r.contract_id AS "contractId", r.institution_id AS "institutionId", r.status, c.district_code AS "districtCode"
       FROM refund_requests r JOIN contracts c ON c.id = r.contract_id WHERE r.id = $1 FOR UPDATE OF r`,
      [id],
    );
  }

  private async lockOwned(manager: EntityManager, id: string, owner: Principal): Promise<RefundRequestRow> {
    const [request] = await this.lock(manager, id);
    const [owned] = request ? await manager.query(`SELECT 1 FROM institutions WHERE id = $1 AND owner_user_id = $2`, [request.institutionId, owner.id]) : [];
    if (!request || !owned) throw notFound('The refund request', 'REFUND.NOT_FOUND');
    return request;
  }

  async listForInstitutionOwner(owner: Principal, status?: string) {
    return this.dataSource.query(
      `SELECT r.id, r.contract_id AS "contractId", r.reason, r.status, r.amount_fen AS "amountFen", r.deemed_accepted_at AS "deemedAcceptedAt", r.created_at AS "createdAt"
       FROM refund_requests r JOIN institutions i ON i.id = r.institution_id WHERE i.owner_user_id = $1 AND ($2::text IS NULL OR r.status = $2) ORDER BY r.created_at DESC LIMIT 100`,
      [owner.id, status ?? null],
    );
  }

  private async view(manager: EntityManager, id: string) {
    const [row] = await manager.query(
      `SELECT id, contract_id AS "contractId", reason, status, amount_fen AS "amountFen", deemed_accepted_at AS "deemedAcceptedAt", answer_reason AS "answerReason",
              answered_at AS "answeredAt", created_at AS "createdAt" FROM refund_requests WHERE id = $1`,
      [id],
    );
    return row;
  }
}
