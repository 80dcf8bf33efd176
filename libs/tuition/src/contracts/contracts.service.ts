import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, OutboxService, Principal, canSeeDistrict, districtLikePattern, nameBasedUuid, notFound } from '@app/core';
import { LedgerService } from '@app/ledger';
import { DistrictPolicyService } from '@app/registry';
import { DataSource, EntityManager } from 'typeorm';
import { accountsOf, escrowOf } from '../tuition-accounts';
import { TuitionErrors } from '../tuition.errors';
import { monthsSpanned } from './prepaid-limits';

export { monthsSpanned } from './prepaid-limits';

export interface NewContract {
  courseId: string;
  studentName: string;
  lessons: number;
  startDate: string;
  endDate: string;
}

export interface ContractRow {
  id: string;
  parentUserId: string;
  institutionId: string;
  courseId: string;
  districtCode: string;
  studentName: string;
  lessons: number;
  lessonPriceFen: number;
  totalFen: number;
  startDate: string;
  endDate: string;
  status: string;
  paidFen: number;
  createdAt: Date;
}

export const SELECT_CONTRACT = `SELECT c.id, c.parent_user_id AS "parentUserId", c.institution_id AS "institutionId", c.course_id AS "courseId",
  c.district_code AS "districtCode", c.student_name AS "studentName", c.lessons, c.lesson_price_fen AS "lessonPriceFen", c.total_fen AS "totalFen",
  c.start_date AS "startDate", c.end_date AS "endDate", c.status, c.paid_fen AS "paidFen", c.created_at AS "createdAt" FROM contracts c`;

@Injectable()
export class ContractsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly policies: DistrictPolicyService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** A parent's contract for a course of a licensed institution, within the district's prepaid limits. */
  async create(parent: Principal, draft: NewContract): Promise<ContractRow> {
    const [course] = await this.dataSource.query(
      `SELECT c.id, c.lesson_price_fen AS "lessonPriceFen", i.id AS "institutionId", i.district_code AS "districtCode", i.status, i.frozen
       FROM courses c JOIN institutions i ON i.id = c.institution_id WHERE c.id = $1`,
      [draft.courseId],
    );
    if (!course || course.status !== 'licensed') throw notFound('The course', 'COURSE.NOT_FOUND');
    if (draft.endDate < draft.startDate) {
      throw new DomainError(422, 'CONTRACT.DATES', 'The end date comes before the start date.', {
        errors: [{ field: 'endDate', message: 'must not be before startDate' }],
      });
    }
    const policy = await this.policies.policyOf(course.districtCode);
    const totalFen = course.lessonPriceFen * draft.lessons;
    if (draft.lessons > policy.maxPrepaidLessons) {
      throw TuitionErrors.prepaidLimit(
        'maxPrepaidLessons',
        `The district allows at most ${policy.maxPrepaidLessons} prepaid lessons.`,
        policy.maxPrepaidLessons,
        draft.lessons,
      );
    }
    const months = monthsSpanned(draft.startDate, draft.endDate);
    if (months > policy.maxPrepaidMonths) {
      throw TuitionErrors.prepaidLimit(
        'maxPrepaidMonths',
        `The district allows prepaying at most ${policy.maxPrepaidMonths} months.`,
        policy.maxPrepaidMonths,
        months,
      );
    }
    if (totalFen > policy.maxPrepaidAmountFen) {
      throw TuitionErrors.prepaidLimit(
        'maxPrepaidAmountFen',
        `The district allows prepaying at most ${policy.maxPrepaidAmountFen} fen.`,
        policy.maxPrepaidAmountFen,
        totalFen,
      );
    }
    const id = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO contracts (id, parent_user_id, institution_id, course_id, district_code, student_name, lessons, lesson_price_fen, total_fen, start_date, end_date, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'awaiting_payment', $12)`,
        [
          id,
          parent.id,
          course.institutionId,
          course.id,
          course.districtCode,
          draft.studentName,
          draft.lessons,
          course.lessonPriceFen,
          totalFen,
          draft.startDate,
          draft.endDate,
          this.clock.now(),
        ],
      );
      await this.ledger.openEscrowAccount(manager, course.institutionId, id);
      return this.lockContract(manager, id);
    });
  }

  /**
   * Takes a payment into escrow: custody is debited and the contract's escrow credited, in one
   * transaction with the payment row. The payment id (and so the transfer id) derives from the
   * operation key, so a retried request pays once.
   */
  async pay(parent: Principal, contractId: string, payment: { amountFen: number; channel: string; externalRef: string }, operationKey: string) {
    const paymentId = nameBasedUuid('payment', parent.id, operationKey);
    return this.dataSource.transaction(async (manager) => {
      const contract = await this.lockContract(manager, contractId, parent);
      const [existing] = await manager.query(`SELECT id FROM payments WHERE id = $1`, [paymentId]);
      if (existing) return this.paymentView(manager, paymentId);
      if (contract.status !== 'awaiting_payment' && contract.status !== 'active') throw TuitionErrors.notActive(contract.status);
      const remaining = contract.totalFen - contract.paidFen;
      if (payment.amountFen > remaining) throw TuitionErrors.overpayment(remaining);
      const inserted = await manager.query(
        `INSERT INTO payments (id, contract_id, amount_fen, channel, external_ref, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (channel, external_ref) DO NOTHING RETURNING id`,
        [paymentId, contractId, payment.amountFen, payment.channel, payment.externalRef, this.clock.now()],
      );
      if (!inserted.length) {
        throw new DomainError(409, 'PAYMENT.DUPLICATE_REFERENCE', `A payment with ${payment.channel} reference ${payment.externalRef} was already recorded.`);
      }
      await this.ledger.apply(manager, [
        {
          id: paymentId,
          kind: 'posted',
          code: 'payment',
          debitAccountId: accountsOf(contract.institutionId).custody,
          creditAccountId: escrowOf(contractId),
          amount: payment.amountFen,
          contractId,
          referenceId: paymentId,
        },
      ]);
      await manager.query(`UPDATE contracts SET paid_fen = paid_fen + $2, status = 'active' WHERE id = $1`, [contractId, payment.amountFen]);
      await this.audit.record(manager, {
        action: 'payment.received',
        targetType: 'contract',
        targetId: contractId,
        districtCode: contract.districtCode,
        details: { paymentId, amountFen: payment.amountFen, channel: payment.channel },
      });
      await this.outbox.add(manager, 'payment.received', { institutionId: contract.institutionId, contractId, paymentId, amountFen: payment.amountFen });
      return this.paymentView(manager, paymentId);
    });
  }

  /** The contract and its money, for the parent, the institution that owns it, or a regulator in scope. */
  async get(principal: Principal, contractId: string) {
    const [contract]: ContractRow[] = await this.dataSource.query(`${SELECT_CONTRACT} WHERE c.id = $1`, [contractId]);
    if (!contract || !(await this.canSee(principal, contract))) throw notFound('The contract', 'CONTRACT.NOT_FOUND');
    return this.withBalances(this.dataSource.manager, contract);
  }

  async list(principal: Principal, filter: { status?: string; page: number; pageSize: number }) {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (principal.role === 'parent') where.push(`c.parent_user_id = ${param(principal.id)}`);
    else if (principal.role === 'institution') where.push(`c.institution_id IN (SELECT id FROM institutions WHERE owner_user_id = ${param(principal.id)})`);
    else where.push(`c.district_code LIKE ${param(districtLikePattern(principal) ?? '-')}`);
    if (filter.status) where.push(`c.status = ${param(filter.status)}`);
    const clause = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM contracts c ${clause}`, params);
    const rows: ContractRow[] = await this.dataSource.query(
      `${SELECT_CONTRACT} ${clause} ORDER BY c.created_at DESC, c.id LIMIT ${param(filter.pageSize)} OFFSET ${param((filter.page - 1) * filter.pageSize)}`,
      params,
    );
    const items = [];
    for (const row of rows) items.push(await this.withBalances(this.dataSource.manager, row));
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  /**
   * Locks the contract row (and checks a parent owns it) for a money-moving change. Lock order across the
   * platform: institution, contracts (by id), consumptions, then ledger accounts (by id, LedgerService).
   * NO KEY UPDATE leaves foreign-key checks of rows that reference the contract unblocked.
   */
  async lockContract(manager: EntityManager, contractId: string, owner?: Principal): Promise<ContractRow> {
    const [contract]: ContractRow[] = await manager.query(`${SELECT_CONTRACT} WHERE c.id = $1 FOR NO KEY UPDATE`, [contractId]);
    if (!contract || (owner && contract.parentUserId !== owner.id)) throw notFound('The contract', 'CONTRACT.NOT_FOUND');
    return contract;
  }

  async canSee(principal: Principal, contract: Pick<ContractRow, 'parentUserId' | 'institutionId' | 'districtCode'>): Promise<boolean> {
    if (principal.role === 'parent') return contract.parentUserId === principal.id;
    if (principal.role === 'institution') {
      const [owned] = await this.dataSource.query(`SELECT 1 FROM institutions WHERE id = $1 AND owner_user_id = $2`, [contract.institutionId, principal.id]);
      return Boolean(owned);
    }
    return canSeeDistrict(principal, contract.districtCode);
  }

  /** paid, consumed (confirmed), pending, refunded and escrow amounts, from the ledger and the lessons. */
  async withBalances(manager: EntityManager, contract: ContractRow) {
    const [money] = await manager.query(
      `SELECT
         coalesce((SELECT credits_posted - debits_posted FROM ledger_accounts WHERE id = $2), 0)::bigint AS "escrowFen",
         coalesce((SELECT debits_pending FROM ledger_accounts WHERE id = $2), 0)::bigint AS "pendingFen",
         coalesce((SELECT sum(amount_fen) FROM consumptions WHERE contract_id = $1 AND status = 'confirmed'), 0)::bigint AS "consumedFen",
         coalesce((SELECT sum(amount) FROM ledger_transfers WHERE contract_id = $1 AND code = 'refund'), 0)::bigint AS "refundedFen",
         (SELECT count(*) FROM consumptions WHERE contract_id = $1 AND status IN ('pending', 'disputed', 'confirmed'))::int AS "lessonsUsed"`,
      [contract.id, escrowOf(contract.id)],
    );
    const refundedLessons = Math.floor(money.refundedFen / contract.lessonPriceFen);
    return {
      ...contract,
      ...money,
      availableFen: money.escrowFen - money.pendingFen,
      lessonsRemaining: Math.max(0, contract.lessons - money.lessonsUsed - refundedLessons),
    };
  }

  private async paymentView(manager: EntityManager, paymentId: string) {
    const [payment] = await manager.query(
      `SELECT id, contract_id AS "contractId", amount_fen AS "amountFen", channel, external_ref AS "externalRef", created_at AS "createdAt" FROM payments WHERE id = $1`,
      [paymentId],
    );
    return payment;
  }

  today(): string {
    return this.clock.today();
  }
}
