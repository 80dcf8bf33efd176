import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock, CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { BankService, SettlementService, TuitionCheckService } from '@app/tuition';
import { ApiProblems } from '../common/responses';
import { MoneyMoving } from '../idempotency/idempotency.interceptor';
import {
  LedgerCheckDto,
  PayoutInstructionPageDto,
  ReserveReleaseDto,
  ScopedInstructionQueryDto,
  SettlementDto,
  SettlementPageDto,
  SettlementQueryDto,
  SettlementRunDto,
  SettlementRunResultDto,
} from './tuition.dto';

const institutionId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'INSTITUTION.NOT_FOUND', 'The institution was not found.') });

@ApiTags('Tuition and ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class SettlementsController {
  constructor(
    private readonly settlements: SettlementService,
    private readonly bank: BankService,
    private readonly escrowCheck: TuitionCheckService,
    private readonly clock: Clock,
  ) {}

  @Post('settlements/run')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({
    operationId: 'runSettlement',
    summary: 'Run the rolling transfer of one district now; institutions not in good standing accrue and are skipped',
  })
  @ApiOkResponse({ type: SettlementRunResultDto })
  @ApiProblems(400, 401, 403, 404)
  async run(@CurrentUser() regulator: Principal, @Body() body: SettlementRunDto): Promise<SettlementRunResultDto> {
    const outcomes = await this.settlements.runForRegulator(regulator, body.districtCode);
    return {
      districtCode: body.districtCode,
      settlements: outcomes.filter((outcome) => outcome.settled),
      skipped: outcomes.filter((outcome) => !outcome.settled),
    };
  }

  @Get('settlements')
  @Roles('institution', 'regulator', 'admin')
  @ApiOperation({ operationId: 'listSettlements', summary: 'Settlements of the caller’s institutions or districts, newest first' })
  @ApiOkResponse({ type: SettlementPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentUser() principal: Principal, @Query() query: SettlementQueryDto): Promise<SettlementPageDto> {
    return this.settlements.list(principal, query.institutionId);
  }

  @Post('institutions/:id/reserve/release')
  @Roles('regulator')
  @MoneyMoving()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'the same value on every retry of this request' })
  @ApiOperation({
    operationId: 'releaseReserve',
    summary: 'Release a revoked or closed institution’s remaining payable and reserve once every contract is refunded (RESERVE.CONTRACTS_OPEN before)',
  })
  @ApiCreatedResponse({ type: SettlementDto })
  @ApiProblems(400, 401, 403, 404, 409)
  releaseReserve(@CurrentUser() regulator: Principal, @Param('id', institutionId) id: string, @Body() body: ReserveReleaseDto): Promise<SettlementDto> {
    return this.settlements.releaseFinal(regulator, id, body.reason);
  }

  @Get('payout-instructions')
  @Roles('institution', 'regulator', 'admin')
  @ApiOperation({ operationId: 'listPayoutInstructions', summary: 'Payouts of the caller’s institutions or districts, held ones included, oldest first' })
  @ApiOkResponse({ type: PayoutInstructionPageDto })
  @ApiProblems(400, 401, 403)
  payouts(@CurrentUser() principal: Principal, @Query() query: ScopedInstructionQueryDto): Promise<PayoutInstructionPageDto> {
    return this.bank.ofScope(principal, query);
  }

  /** Each invariant of docs/domain.md, “Escrow ledger” with whether it holds and the figures checked. */
  @Get('ledger/check')
  @Roles('regulator', 'admin')
  @ApiOperation({ operationId: 'checkLedger', summary: 'Every invariant of the escrow ledger, with the figures behind it' })
  @ApiOkResponse({ type: LedgerCheckDto })
  @ApiProblems(401, 403)
  // Figures of one district's money: never kept by a browser or a proxy.
  @Header('Cache-Control', 'no-store')
  async check(@CurrentUser() principal: Principal): Promise<LedgerCheckDto> {
    const invariants = await this.escrowCheck.invariants(principal);
    return { ok: invariants.every((invariant) => invariant.ok), checkedAt: this.clock.now().toISOString(), invariants };
  }
}
