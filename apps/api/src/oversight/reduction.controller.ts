import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@app/core';
import { ReductionService } from '@app/oversight';
import { PublicEndpoint } from '../common/public-endpoint';
import { ApiProblems } from '../common/responses';
import { BaselineDto, PublicReductionQueryDto, ReductionFiguresDto, ReductionQueryDto, ReductionSeriesDto, SavedBaselineDto } from './reduction.dto';

@ApiTags('Oversight')
@ApiBearerAuth()
@Controller('api/v1/reduction')
export class ReductionController {
  constructor(private readonly reduction: ReductionService) {}

  @Put('baseline')
  @Roles('regulator')
  @ApiOperation({
    operationId: 'setReductionBaseline',
    summary: 'A district’s baseline; a city regulator may set any of its districts’ (REDUCTION.CITY_BASELINE, REDUCTION.FUTURE_BASELINE)',
  })
  @ApiOkResponse({ type: SavedBaselineDto })
  @ApiProblems(400, 401, 403, 404, 422)
  setBaseline(@CurrentUser() regulator: Principal, @Body() body: BaselineDto): Promise<SavedBaselineDto> {
    return this.reduction.setBaseline(regulator, body);
  }

  @Get()
  @Roles('regulator', 'admin')
  @ApiOperation({
    operationId: 'getReductionSeries',
    summary: 'Baseline, daily snapshots and rates; a city code sums its districts (REDUCTION.DISTRICT_REQUIRED, REDUCTION.RANGE)',
  })
  @ApiOkResponse({ type: ReductionSeriesDto })
  @ApiProblems(400, 401, 403, 404, 422)
  series(@CurrentUser() principal: Principal, @Query() query: ReductionQueryDto): Promise<ReductionSeriesDto> {
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
  @ApiOperation({ operationId: 'getPublicReductionStats', summary: 'Baseline, latest snapshot and rates of a served district or city' })
  @ApiOkResponse({ type: ReductionFiguresDto })
  @ApiProblems(400, 404, 429)
  stats(@Query() query: PublicReductionQueryDto): Promise<ReductionFiguresDto> {
    return this.reduction.publicStats(query.districtCode);
  }
}
