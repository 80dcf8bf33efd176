import { Injectable } from '@nestjs/common';
import { Clock, DomainError, Principal, canSeeDistrict, districtLikePattern } from '@app/core';
import { InstitutionsService } from '@app/registry';
import { DataSource } from 'typeorm';
import { ContractsService } from '../contracts/contracts.service';

const SELECT_LESSON = `SELECT s.id, s.lesson_id AS "lessonId", s.contract_id AS "contractId", l.starts_at AS "startsAt", l.minutes, s.amount_fen AS "amountFen",
  s.status, s.auto_confirm_at AS "autoConfirmAt", s.dispute_reason AS "disputeReason", s.resolved_at AS "resolvedAt"`;

/** Read-only views over contracts, lessons and escrow, scoped like every other read. */
@Injectable()
export class TuitionViewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractsService,
    private readonly institutions: InstitutionsService,
    private readonly clock: Clock,
  ) {}

  /** Every lesson recorded on a contract the caller may see, newest first, with its confirmation status. */
  async lessonsOf(principal: Principal, contractId: string) {
    await this.contracts.get(principal, contractId); // 404 unless the caller may see the contract
    const items = await this.dataSource.query(
      `${SELECT_LESSON} FROM consumptions s JOIN lessons l ON l.id = s.lesson_id WHERE s.contract_id = $1 ORDER BY l.starts_at DESC, s.id LIMIT 500`,
      [contractId],
    );
    return { items, total: items.length, page: 1, pageSize: 500 };
  }

  /** Lessons by status across the caller's scope (a regulator's districts, an institution's own), oldest first. */
  async consumptions(principal: Principal, filter: { status?: string; page: number; pageSize: number }) {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where =
      principal.role === 'institution'
        ? [`i.owner_user_id = ${param(principal.id)}`]
        : [`c.district_code LIKE ${param(districtLikePattern(principal) ?? '-')}`];
    if (filter.status) where.push(`s.status = ${param(filter.status)}`);
    const from = `FROM consumptions s JOIN lessons l ON l.id = s.lesson_id JOIN contracts c ON c.id = s.contract_id
      JOIN institutions i ON i.id = s.institution_id JOIN courses k ON k.id = l.course_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, params);
    const items = await this.dataSource.query(
      `${SELECT_LESSON}, c.student_name AS "studentName", c.district_code AS "districtCode", i.id AS "institutionId", i.name AS "institutionName", k.name AS "courseName"
       ${from} ORDER BY l.starts_at, s.id LIMIT ${param(filter.pageSize)} OFFSET ${param((filter.page - 1) * filter.pageSize)}`,
      params,
    );
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  /** Balances of one institution's accounts (DESIGN §5) and totals over its contracts. */
  async institutionEscrow(principal: Principal, institutionId: string) {
    const institution = await this.institutions.findVisible(principal, institutionId);
    const accounts = await this.dataSource.query(
      `SELECT code, CASE WHEN code = 'custody' THEN debits_posted - credits_posted ELSE credits_posted - debits_posted END::bigint AS "balanceFen",
              debits_pending::bigint AS "debitsPendingFen", credits_pending::bigint AS "creditsPendingFen"
       FROM ledger_accounts WHERE institution_id = $1 AND code <> 'escrow' ORDER BY code`,
      [institutionId],
    );
    const [contracts] = await this.dataSource.query(
      `SELECT count(*)::int AS contracts, coalesce(sum(credits_posted - debits_posted), 0)::bigint AS "escrowFen", coalesce(sum(debits_pending), 0)::bigint AS "pendingFen"
       FROM ledger_accounts WHERE institution_id = $1 AND code = 'escrow'`,
      [institutionId],
    );
    return { institutionId, frozen: institution.frozen, accounts, contracts };
  }

  /**
   * Money in the escrow of the caller's scope now (what custody holds, split by what it is owed to), and
   * per day (Asia/Shanghai) for the last 90 days: paid in by parents, released to institutions
   * (payouts and reserve releases), refunded to parents, and what custody held at the end of the day.
   */
  async escrowSummary(principal: Principal, districtCode?: string) {
    if (districtCode && !canSeeDistrict(principal, districtCode))
      throw new DomainError(404, 'REFERENCE.UNKNOWN_DISTRICT', `The district ${districtCode} was not found.`);
    const pattern = districtCode ?? districtLikePattern(principal) ?? '-';
    const balances: Array<{ code: string; balance: number; pending: number; accounts: number }> = await this.dataSource.query(
      `SELECT a.code, sum(CASE WHEN a.code = 'custody' THEN a.debits_posted - a.credits_posted ELSE a.credits_posted - a.debits_posted END)::bigint AS balance,
              sum(a.debits_pending)::bigint AS pending, count(*)::int AS accounts
       FROM ledger_accounts a JOIN institutions i ON i.id = a.institution_id WHERE i.district_code LIKE $1 GROUP BY a.code`,
      [pattern],
    );
    const of = (code: string) => balances.find((row) => row.code === code);
    const daily = await this.dataSource.query(
      `WITH days AS (
         SELECT (t.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
                coalesce(sum(t.amount) FILTER (WHERE t.code = 'payment'), 0)::bigint AS "inFen",
                coalesce(sum(t.amount) FILTER (WHERE t.code IN ('payout', 'reserve_release')), 0)::bigint AS "releasedFen",
                coalesce(sum(t.amount) FILTER (WHERE t.code = 'refund_paid'), 0)::bigint AS "refundedFen"
         FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.debit_account_id JOIN institutions i ON i.id = a.institution_id
         WHERE i.district_code LIKE $1 AND t.code IN ('payment', 'payout', 'reserve_release', 'refund_paid')
         GROUP BY 1
       )
       SELECT * FROM (
         SELECT to_char(day, 'YYYY-MM-DD') AS date, "inFen", "releasedFen", "refundedFen",
                (sum("inFen" - "releasedFen" - "refundedFen") OVER (ORDER BY day))::bigint AS "heldFen", day
         FROM days
       ) x WHERE day > $2::date - 90 ORDER BY day`,
      [pattern, this.clock.today()],
    );
    return {
      scope: districtCode ?? (districtLikePattern(principal) === '%' ? 'all' : principal.districtCode),
      heldFen: of('custody')?.balance ?? 0,
      escrowFen: of('escrow')?.balance ?? 0,
      lessonsPendingFen: of('escrow')?.pending ?? 0,
      contracts: of('escrow')?.accounts ?? 0,
      payableFen: of('payable')?.balance ?? 0,
      reserveFen: of('reserve')?.balance ?? 0,
      refundsOwedFen: of('refunds')?.balance ?? 0,
      daily: daily.map(({ day: _day, ...row }: Record<string, unknown>) => row),
    };
  }
}
