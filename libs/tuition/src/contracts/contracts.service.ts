import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService, Clock, Db, DomainError, OutboxService, Principal, canSeeDistrict, districtPrefix, notFound } from '@app/core';
import { LedgerService } from '@app/ledger';
import { DistrictPolicyService, EnrolmentService } from '@app/registry';
import { DataSource } from 'typeorm';
import { PaymentRow, PaymentsRepository } from '../payments/payments.repository';
import { RefundRequestView, RefundRequestsRepository } from '../refunds/refund-requests.repository';
import { escrowOf } from '../tuition-accounts';
import { assertWithinPrepaidLimits, monthsSpanned } from './prepaid-limits';
import { ContractRow, ContractScope, ContractsRepository } from './contracts.repository';

export type { ContractRow };

export interface NewContract {
  courseId: string;
  studentName: string;
  lessons: number;
  startDate: string;
  endDate: string;
}

/** A contract with its money: paid, consumed (confirmed), pending, refunded and what escrow holds. */
export interface ContractWithBalances extends ContractRow {
  escrowFen: number;
  pendingFen: number;
  consumedFen: number;
  refundedFen: number;
  lessonsUsed: number;
  availableFen: number;
  lessonsRemaining: number;
}

/** With its payment orders and its refund requests (an open one says how much and by when: docs/domain.md "Escrow ledger"). */
export type ContractDetail = ContractWithBalances & { payments: PaymentRow[]; refundRequests: RefundRequestView[] };

export { monthsSpanned };

@Injectable()
export class ContractsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractsRepository,
    private readonly payments: PaymentsRepository,
    private readonly refundRequests: RefundRequestsRepository,
    private readonly ledger: LedgerService,
    private readonly enrolment: EnrolmentService,
    private readonly policies: DistrictPolicyService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** A parent's contract for a course of a licensed institution, within the district's prepaid limits. */
  async create(parent: Principal, draft: NewContract): Promise<ContractRow> {
    const course = await this.enrolment.courseForSale(this.dataSource.manager, draft.courseId);
    if (draft.endDate < draft.startDate) {
      throw new DomainError(422, 'CONTRACT.DATES', 'The end date comes before the start date.', {
        errors: [{ field: 'endDate', message: 'must not be before startDate' }],
      });
    }
    const policy = await this.policies.policyOf(course.districtCode);
    const totalFen = course.lessonPriceFen * draft.lessons;
    const studentName = draft.studentName.trim();
    const id = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      // The pupil's open contracts at this institution, locked so two contracts made at once both count.
      const open = await this.contracts.lockOpenOfPupil(manager, { parentUserId: parent.id, studentName, institutionId: course.institutionId });
      assertWithinPrepaidLimits(policy, [...open, { lessons: draft.lessons, totalFen, startDate: draft.startDate, endDate: draft.endDate }]);
      await this.contracts.insert(manager, {
        id,
        parentUserId: parent.id,
        institutionId: course.institutionId,
        courseId: course.courseId,
        districtCode: course.districtCode,
        studentName,
        lessons: draft.lessons,
        lessonPriceFen: course.lessonPriceFen,
        totalFen,
        startDate: draft.startDate,
        endDate: draft.endDate,
        createdAt: this.clock.now(),
      });
      await this.ledger.openEscrowAccount(manager, course.institutionId, id);
      return this.lockContract(manager, id);
    });
  }

  /** The contract, its money and its payment orders, for the parent, the institution that owns it, or a regulator in scope. */
  async get(principal: Principal, contractId: string): Promise<ContractDetail> {
    const db = this.dataSource.manager;
    const contract = await this.contracts.find(db, contractId);
    if (!contract || !(await this.canSee(principal, contract))) throw notFound('The contract', 'CONTRACT.NOT_FOUND');
    const [detail] = await this.withPayments(db, await this.withBalances(db, [contract]));
    return detail;
  }

  /** Contracts of the caller's scope, newest first, each with its money and its payment orders. */
  async list(
    principal: Principal,
    filter: { status?: string; page: number; pageSize: number },
  ): Promise<{ items: ContractDetail[]; total: number; page: number; pageSize: number }> {
    const db = this.dataSource.manager;
    const { items, total } = await this.contracts.page(db, await this.scopeOf(principal), {
      status: filter.status,
      limit: filter.pageSize,
      offset: (filter.page - 1) * filter.pageSize,
    });
    return { items: await this.withPayments(db, await this.withBalances(db, items)), total, page: filter.page, pageSize: filter.pageSize };
  }

  /** Each contract with its payment orders (oldest first) and its refund requests (newest first). */
  private async withPayments(db: Db, contracts: ContractWithBalances[]): Promise<ContractDetail[]> {
    const ids = contracts.map((contract) => contract.id);
    const [payments, refunds] = ids.length ? await Promise.all([this.payments.ofContracts(db, ids), this.refundRequests.ofContracts(db, ids)]) : [[], []];
    return contracts.map((contract) => ({
      ...contract,
      payments: payments.filter((payment) => payment.contractId === contract.id),
      refundRequests: refunds.filter((request) => request.contractId === contract.id),
    }));
  }

  /**
   * Locks the contract row (and checks a parent owns it) for a money-moving change. Lock order across the
   * platform: institution, contracts (by id), consumptions, then ledger accounts (by id, LedgerService).
   */
  async lockContract(db: Db, contractId: string, owner?: Principal): Promise<ContractRow> {
    const [contract] = await this.contracts.lock(db, [contractId]);
    if (!contract || (owner && contract.parentUserId !== owner.id)) throw notFound('The contract', 'CONTRACT.NOT_FOUND');
    return contract;
  }

  async canSee(principal: Principal, contract: Pick<ContractRow, 'parentUserId' | 'institutionId' | 'districtCode'>): Promise<boolean> {
    if (principal.role === 'parent') return contract.parentUserId === principal.id;
    if (principal.role === 'institution') return (await this.enrolment.ownedBy(this.dataSource.manager, principal.id)).includes(contract.institutionId);
    return canSeeDistrict(principal, contract.districtCode);
  }

  /** The contracts a caller may list: a parent its own, an owner its institutions', a regulator its districts'. */
  async scopeOf(principal: Principal): Promise<ContractScope> {
    if (principal.role === 'parent') return { parentUserId: principal.id };
    if (principal.role === 'institution') return { institutionIds: await this.enrolment.ownedBy(this.dataSource.manager, principal.id) };
    const prefix = districtPrefix(principal);
    return { districtPattern: prefix === undefined ? '-' : prefix === '' ? null : `${prefix}%` };
  }

  /** paid, consumed (confirmed), pending, refunded and escrow amounts, from the ledger and the lessons. */
  async withBalances(db: Db, contracts: ContractRow[]): Promise<ContractWithBalances[]> {
    if (!contracts.length) return [];
    const ids = contracts.map((contract) => contract.id);
    const [escrows, refunds, uses] = await Promise.all([
      this.ledger.balances(db, ids.map(escrowOf)),
      this.ledger.transferTotals(db, ids, ['refund']),
      this.contracts.use(db, ids),
    ]);
    return contracts.map((contract) => {
      const escrow = escrows.find((account) => account.contractId === contract.id);
      const escrowFen = escrow ? escrow.creditsPosted - escrow.debitsPosted : 0;
      const pendingFen = escrow?.debitsPending ?? 0;
      const refundedFen = refunds.find((total) => total.contractId === contract.id)?.totalFen ?? 0;
      const use = uses.find((found) => found.contractId === contract.id);
      const lessonsUsed = use?.lessonsUsed ?? 0;
      const refundedLessons = Math.floor(refundedFen / contract.lessonPriceFen);
      return {
        ...contract,
        escrowFen,
        pendingFen,
        consumedFen: use?.confirmedFen ?? 0,
        refundedFen,
        lessonsUsed,
        availableFen: escrowFen - pendingFen,
        lessonsRemaining: Math.max(0, contract.lessons - lessonsUsed - refundedLessons),
      };
    });
  }
}
