import { Injectable } from '@nestjs/common';
import { Clock, DomainError, Principal, addDays, canSeeDistrict, districtPrefix } from '@app/core';
import { LedgerService } from '@app/ledger';
import { EnrolmentService, InstitutionsService } from '@app/registry';
import { DataSource } from 'typeorm';
import { ContractsService } from '../contracts/contracts.service';
import { LessonOfContract, LessonsRepository, ScopedConsumption } from '../lessons/lessons.repository';

/** How far back the daily escrow series of a scope goes. */
const SERIES_DAYS = 90;

/** Transfer codes that take money into and out of custody, as the daily series names them. */
const CUSTODY_IN = ['payment'];
const RELEASED = ['payout', 'reserve_release'];
const REFUNDED = ['refund_paid'];

export interface InstitutionEscrow {
  institutionId: string;
  frozen: boolean;
  accounts: Array<{ code: string; balanceFen: number; debitsPendingFen: number; creditsPendingFen: number }>;
  contracts: { contracts: number; escrowFen: number; pendingFen: number };
}

export interface EscrowSummary {
  scope: string;
  heldFen: number;
  escrowFen: number;
  lessonsPendingFen: number;
  contracts: number;
  payableFen: number;
  reserveFen: number;
  refundsOwedFen: number;
  daily: Array<{ date: string; inFen: number; releasedFen: number; refundedFen: number; heldFen: number }>;
}

/** Read-only views over contracts, lessons and escrow, scoped like every other read. */
@Injectable()
export class TuitionViewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lessons: LessonsRepository,
    private readonly ledger: LedgerService,
    private readonly contracts: ContractsService,
    private readonly institutions: InstitutionsService,
    private readonly enrolment: EnrolmentService,
    private readonly clock: Clock,
  ) {}

  /** Every lesson recorded on a contract the caller may see, newest first, with its confirmation status. */
  async lessonsOf(principal: Principal, contractId: string): Promise<{ items: LessonOfContract[]; total: number; page: number; pageSize: number }> {
    await this.contracts.get(principal, contractId); // 404 unless the caller may see the contract
    const items = await this.lessons.ofContract(this.dataSource.manager, contractId, 500);
    return { items, total: items.length, page: 1, pageSize: 500 };
  }

  /** Lessons by status across the caller's scope (a regulator's districts, an institution's own), oldest first. */
  async consumptions(
    principal: Principal,
    filter: { status?: string; page: number; pageSize: number },
  ): Promise<{ items: Array<ScopedConsumption & { institutionName: string; courseName: string }>; total: number; page: number; pageSize: number }> {
    const db = this.dataSource.manager;
    const prefix = districtPrefix(principal);
    const scope =
      principal.role === 'institution'
        ? { institutionIds: await this.enrolment.ownedBy(db, principal.id) }
        : { districtPattern: prefix === undefined ? '-' : prefix === '' ? null : `${prefix}%` };
    const { items, total } = await this.lessons.page(db, scope, { status: filter.status, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize });
    const names = await this.enrolment.names(db, { institutionIds: items.map((item) => item.institutionId), courseIds: items.map((item) => item.courseId) });
    return {
      items: items.map((item) => ({ ...item, institutionName: names.get(item.institutionId) ?? '', courseName: names.get(item.courseId) ?? '' })),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  /** Balances of one institution's accounts (docs/domain.md, “Escrow ledger”) and totals over its contracts. */
  async institutionEscrow(principal: Principal, institutionId: string): Promise<InstitutionEscrow> {
    const institution = await this.institutions.findVisible(principal, institutionId);
    const balances = await this.ledger.balancesByCode(this.dataSource.manager, [institutionId]);
    const escrow = balances.find((balance) => balance.code === 'escrow');
    return {
      institutionId,
      frozen: institution.frozen,
      accounts: balances
        .filter((balance) => balance.code !== 'escrow')
        .map(({ code, balanceFen, debitsPendingFen, creditsPendingFen }) => ({ code, balanceFen, debitsPendingFen, creditsPendingFen })),
      contracts: { contracts: escrow?.accounts ?? 0, escrowFen: escrow?.balanceFen ?? 0, pendingFen: escrow?.debitsPendingFen ?? 0 },
    };
  }

  /**
   * Money in the escrow of the caller's scope now (what custody holds, split by what it is owed to), and
   * per day (Asia/Shanghai) for the last 90 days: paid in by parents, released to institutions
   * (payouts and reserve releases), refunded to parents, and what custody held at the end of the day.
   */
  async escrowSummary(principal: Principal, districtCode?: string): Promise<EscrowSummary> {
    if (districtCode && !canSeeDistrict(principal, districtCode))
      throw new DomainError(404, 'REFERENCE.UNKNOWN_DISTRICT', `The district ${districtCode} was not found.`);
    const db = this.dataSource.manager;
    const institutionIds = districtCode ? await this.enrolment.inDistrict(db, districtCode) : await this.enrolment.inScopeOf(db, principal);
    const [balances, moves] = await Promise.all([this.ledger.balancesByCode(db, institutionIds), this.ledger.custodyMovesByDay(db, institutionIds)]);
    const of = (code: string) => balances.find((balance) => balance.code === code);
    return {
      scope: districtCode ?? (districtPrefix(principal) === '' ? 'all' : (principal.districtCode ?? '')),
      heldFen: of('custody')?.balanceFen ?? 0,
      escrowFen: of('escrow')?.balanceFen ?? 0,
      lessonsPendingFen: of('escrow')?.debitsPendingFen ?? 0,
      contracts: of('escrow')?.accounts ?? 0,
      payableFen: of('payable')?.balanceFen ?? 0,
      reserveFen: of('reserve')?.balanceFen ?? 0,
      refundsOwedFen: of('refunds')?.balanceFen ?? 0,
      daily: this.dailySeries(moves, addDays(this.clock.today(), -SERIES_DAYS)),
    };
  }

  /** The days after `since` on which custody moved, each with its in, out and end-of-day balance. */
  private dailySeries(moves: Array<{ date: string; code: string; inFen: number; outFen: number }>, since: string): EscrowSummary['daily'] {
    const days = new Map<string, { inFen: number; releasedFen: number; refundedFen: number; net: number }>();
    for (const move of moves) {
      const day = days.get(move.date) ?? { inFen: 0, releasedFen: 0, refundedFen: 0, net: 0 };
      if (CUSTODY_IN.includes(move.code)) day.inFen += move.inFen;
      if (RELEASED.includes(move.code)) day.releasedFen += move.outFen;
      if (REFUNDED.includes(move.code)) day.refundedFen += move.outFen;
      day.net += move.inFen - move.outFen;
      days.set(move.date, day);
    }
    let heldFen = 0;
    const series: EscrowSummary['daily'] = [];
    for (const [date, day] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
      heldFen += day.net;
      if (date > since) series.push({ date, inFen: day.inFen, releasedFen: day.releasedFen, refundedFen: day.refundedFen, heldFen });
    }
    return series;
  }
}
