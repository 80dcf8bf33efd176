import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CurrentUser, DomainError, Principal, Roles, canSeeDistrict, districtLikePattern } from '@app/core';
import { ContractsService } from '@app/tuition';
import { DataSource } from 'typeorm';
import { PageQueryDto } from '../common/page-query.dto';

const contractId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'CONTRACT.NOT_FOUND', 'The contract was not found.') });

class ConsumptionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'disputed', 'confirmed', 'voided'] })
  @IsOptional()
  @IsIn(['pending', 'disputed', 'confirmed', 'voided'])
  status?: string;
}

class EscrowSummaryQueryDto {
  @ApiPropertyOptional({ description: 'one district of the caller’s scope; all of it when absent' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' })
  districtCode?: string;
}

const SELECT_LESSON = `SELECT s.id, s.lesson_id AS "lessonId", s.contract_id AS "contractId", l.starts_at AS "startsAt", l.minutes, s.amount_fen AS "amountFen",
  s.status, s.auto_confirm_at AS "autoConfirmAt", s.dispute_reason AS "disputeReason", s.resolved_at AS "resolvedAt"`;

/**
 * Reads the web pages need and the tuition API did not offer: a contract's lessons (so a parent can
 * confirm or dispute each one), the lessons awaiting a regulator (disputed), and the escrow totals and
 * daily money flow of a regulator's scope (for the dashboard's chart). Read-only; scoped like the rest.
 */
@ApiTags('Tuition and ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class PageReadsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly dataSource: DataSource,
  ) {}

  /** Every lesson recorded on the contract, newest first, with its confirmation status. */
  @Get('contracts/:id/lessons')
  @Roles('parent', 'institution', 'regulator', 'admin')
  async lessonsOf(@CurrentUser() principal: Principal, @Param('id', contractId) id: string) {
    await this.contracts.get(principal, id); // 404 unless the caller may see the contract
    const items = await this.dataSource.query(
      `${SELECT_LESSON} FROM consumptions s JOIN lessons l ON l.id = s.lesson_id WHERE s.contract_id = $1 ORDER BY l.starts_at DESC, s.id LIMIT 500`,
      [id],
    );
    return { items, total: items.length, page: 1, pageSize: 500 };
  }

  /** Lessons by status across the caller's scope (a regulator's districts, an institution's own), oldest first. */
  @Get('consumptions')
  @Roles('regulator', 'admin', 'institution')
  async consumptions(@CurrentUser() principal: Principal, @Query() query: ConsumptionQueryDto) {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where =
      principal.role === 'institution'
        ? [`i.owner_user_id = ${param(principal.id)}`]
        : [`c.district_code LIKE ${param(districtLikePattern(principal) ?? '-')}`];
    if (query.status) where.push(`s.status = ${param(query.status)}`);
    const from = `FROM consumptions s JOIN lessons l ON l.id = s.lesson_id JOIN contracts c ON c.id = s.contract_id
      JOIN institutions i ON i.id = s.institution_id JOIN courses k ON k.id = l.course_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, params);
    const items = await this.dataSource.query(
      `${SELECT_LESSON}, c.student_name AS "studentName", c.district_code AS "districtCode", i.id AS "institutionId", i.name AS "institutionName", k.name AS "courseName"
       ${from} ORDER BY l.starts_at, s.id LIMIT ${param(query.pageSize)} OFFSET ${param((query.page - 1) * query.pageSize)}`,
      params,
    );
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /**
   * Money in the escrow of the caller's scope now (what custody holds, split by what it is owed to), and
   * per day (Asia/Shanghai) for the last 90 days: paid in by parents, released to institutions
   * (payouts and reserve releases), refunded to parents, and what custody held at the end of the day.
   */
  @Get('escrow/summary')
  @Roles('regulator', 'admin')
  async escrowSummary(@CurrentUser() principal: Principal, @Query() query: EscrowSummaryQueryDto) {
    if (query.districtCode && !canSeeDistrict(principal, query.districtCode)) throw new DomainError(404, 'REFERENCE.UNKNOWN_DISTRICT', `The district ${query.districtCode} was not found.`);
    const pattern = query.districtCode ?? districtLikePattern(principal) ?? '-';
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
       ) x WHERE day > (now() AT TIME ZONE 'Asia/Shanghai')::date - 90 ORDER BY day`,
      [pattern],
    );
    return {
      scope: query.districtCode ?? (districtLikePattern(principal) === '%' ? 'all' : principal.districtCode),
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
