import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@app/core';
import { ReductionService } from '@app/oversight';
import { BaselineDto, PublicReductionQueryDto, ReductionQueryDto } from './reduction.dto';
import { PublicEndpoint } from '../common/public-endpoint';

@ApiTags('Oversight')
@ApiBearerAuth()
@Controller('api/v1/reduction')
export class ReductionController {
  constructor(private readonly reduction: ReductionService) {}

  /** A district's baseline; a city regulator may set any of its districts'. */
  @Put('baseline')
  @Roles('regulator')
  setBaseline(@CurrentUser() regulator: Principal, @Body() body: BaselineDto) {
    return this.reduction.setBaseline(regulator, body);
  }

  /** Baseline, daily snapshots and rates; a city code sums its districts. */
  @Get()
  @Roles('regulator', 'admin')
  series(@CurrentUser() principal: Principal, @Query() query: ReductionQueryDto) {
    return this.reduction.series(principal, query);
  }
}

/** The public reduction figures: no login, rate-limited per client address like the rest of /public. */
@ApiTags('Public')
@Controller('api/v1/public')
@PublicEndpoint()
export class PublicReductionController {
  constructor(private readonly reduction: ReductionService) {}

  @Get('stats/reduction')
  stats(@Query() query: PublicReductionQueryDto) {
    return this.reduction.publicStats(query.districtCode);
  }
}
