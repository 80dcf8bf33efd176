import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { LedgerCheckService } from '@app/ledger';
import { InstitutionsService } from '@app/registry';
import { SettlementService, TuitionCheckService } from '@app/tuition';
import { DataSource } from 'typeorm';
import { SettlementQueryDto, SettlementRunDto } from './tuition.dto';

const institutionId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'INSTITUTION.NOT_FOUND', 'The institution was not found.') });

@ApiTags('Tuition and ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class SettlementsController {
  constructor(
    private readonly settlements: SettlementService,
    private readonly institutions: InstitutionsService,
    private readonly ledgerCheck: LedgerCheckService,
    private readonly tuitionCheck: TuitionCheckService,
    private readonly dataSource: DataSource,
  ) {}

  @Post('settlements/run')
  @HttpCode(200)
  @Roles('regulator')
  async run(@CurrentUser() regulator: Principal, @Body() body: SettlementRunDto) {
    const outcomes = await this.settlements.runForRegulator(regulator, body.districtCode);
    return { districtCode: body.districtCode, settlements: outcomes.filter((outcome) => outcome.settled), skipped: outcomes.filter((outcome) => !outcome.settled) };
  }

  @Get('settlements')
  @Roles('institution', 'regulator', 'admin')
  list(@CurrentUser() principal: Principal, @Query() query: SettlementQueryDto) {
    return this.settlements.list(principal, query.institutionId);
  }

  /** Balances of the institution's accounts (DESIGN §5) and totals over its contracts. */
  @Get('institutions/:id/escrow')
  @Roles('institution', 'regulator', 'admin')
  async escrow(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string) {
    const institution = await this.institutions.findVisible(principal, id);
    const accounts = await this.dataSource.query(
      `SELECT code, CASE WHEN code = 'custody' THEN debits_posted - credits_posted ELSE credits_posted - debits_posted END::bigint AS "balanceFen",
              debits_pending::bigint AS "debitsPendingFen", credits_pending::bigint AS "creditsPendingFen"
       FROM ledger_accounts WHERE institution_id = $1 AND code <> 'escrow' ORDER BY code`,
      [id],
    );
    const [contracts] = await this.dataSource.query(
      `SELECT count(*)::int AS contracts, coalesce(sum(credits_posted - debits_posted), 0)::bigint AS "escrowFen", coalesce(sum(debits_pending), 0)::bigint AS "pendingFen"
       FROM ledger_accounts WHERE institution_id = $1 AND code = 'escrow'`,
      [id],
    );
    return { institutionId: id, frozen: institution.frozen, accounts, contracts };
  }

  /** Each invariant of DESIGN §5 with whether it holds and the figures checked. */
  @Get('ledger/check')
  @Roles('regulator', 'admin')
  async check() {
    const manager = this.dataSource.manager;
    const invariants = [...(await this.ledgerCheck.check(manager)), await this.tuitionCheck.check(manager)];
    return { ok: invariants.every((invariant) => invariant.ok), checkedAt: new Date().toISOString(), invariants };
  }
}
