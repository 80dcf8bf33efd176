import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Clock, CurrentUser, Principal, Roles } from '@app/core';
import { SettlementService, TuitionCheckService } from '@app/tuition';
import { SettlementQueryDto, SettlementRunDto } from './tuition.dto';

@ApiTags('Tuition and ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class SettlementsController {
  constructor(
    private readonly settlements: SettlementService,
    private readonly escrowCheck: TuitionCheckService,
    private readonly clock: Clock,
  ) {}

  @Post('settlements/run')
  @HttpCode(200)
  @Roles('regulator')
  async run(@CurrentUser() regulator: Principal, @Body() body: SettlementRunDto) {
    const outcomes = await this.settlements.runForRegulator(regulator, body.districtCode);
    return {
      districtCode: body.districtCode,
      settlements: outcomes.filter((outcome) => outcome.settled),
      skipped: outcomes.filter((outcome) => !outcome.settled),
    };
  }

  @Get('settlements')
  @Roles('institution', 'regulator', 'admin')
  list(@CurrentUser() principal: Principal, @Query() query: SettlementQueryDto) {
    return this.settlements.list(principal, query.institutionId);
  }

  /** Each invariant of DESIGN §5 with whether it holds and the figures checked. */
  @Get('ledger/check')
  @Roles('regulator', 'admin')
  async check() {
    const invariants = await this.escrowCheck.invariants();
    return { ok: invariants.every((invariant) => invariant.ok), checkedAt: this.clock.now().toISOString(), invariants };
  }
}
