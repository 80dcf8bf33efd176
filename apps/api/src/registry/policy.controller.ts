import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@app/core';
import { DistrictPolicyService } from '@app/registry';
import { ApiProblems } from '../common/responses';
import { DistrictPolicyAnswerDto, DistrictPolicyChangeDto, fromPolicyView, toPolicyChange } from './policy.dto';

/** A city's (XXXX00) or a district's policy: the city's is the default of its districts, field by field (docs/domain.md, "District policy"). */
@ApiTags('Registry')
@ApiBearerAuth()
@Controller('api/v1/districts/:code/policy')
export class PolicyController {
  constructor(private readonly policies: DistrictPolicyService) {}

  @Get()
  @Roles('admin', 'regulator', 'institution', 'parent', 'bank')
  @ApiSecurity('bank')
  @ApiOperation({
    operationId: 'getDistrictPolicy',
    summary: 'The policy in force in a district or a city (prepaid limits, settlement cycle, guided prices, risk thresholds…) and the fields it sets itself',
  })
  @ApiOkResponse({ type: DistrictPolicyAnswerDto })
  @ApiProblems(401, 404)
  async get(@Param('code') code: string): Promise<DistrictPolicyAnswerDto> {
    return fromPolicyView(await this.policies.get(code));
  }

  @Put()
  @Roles('regulator')
  @ApiOperation({
    operationId: 'putDistrictPolicy',
    summary: 'Change a district’s or a city’s own policy: only the fields sent; null inherits (from the city, or for a city the platform’s defaults)',
    description:
      'A district’s policy by a regulator of the district or its city; a city’s only by the city’s regulators (404 for anyone else, as for any district out of scope).',
  })
  @ApiOkResponse({ type: DistrictPolicyAnswerDto })
  @ApiProblems(400, 401, 403, 404)
  async put(@CurrentUser() principal: Principal, @Param('code') code: string, @Body() body: DistrictPolicyChangeDto): Promise<DistrictPolicyAnswerDto> {
    return fromPolicyView(await this.policies.change(principal, code, toPolicyChange(body)));
  }
}
