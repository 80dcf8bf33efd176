import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@app/core';
import { DistrictPolicyService } from '@app/registry';
import { ApiProblems } from '../common/responses';
import { DistrictPolicyAnswerDto, DistrictPolicyDto, fromPolicy, toPolicy } from './policy.dto';

@ApiTags('Registry')
@ApiBearerAuth()
@Controller('api/v1/districts/:code/policy')
export class PolicyController {
  constructor(private readonly policies: DistrictPolicyService) {}

  @Get()
  @Roles('admin', 'regulator', 'institution', 'parent', 'bank')
  @ApiSecurity('bank')
  @ApiOperation({ operationId: 'getDistrictPolicy', summary: 'A district’s prepaid limits, settlement cycle, guided prices and risk thresholds' })
  @ApiOkResponse({ type: DistrictPolicyAnswerDto })
  @ApiProblems(401, 404)
  async get(@Param('code') code: string): Promise<DistrictPolicyAnswerDto> {
    return fromPolicy(await this.policies.get(code));
  }

  @Put()
  @Roles('regulator')
  @ApiOperation({ operationId: 'putDistrictPolicy', summary: 'Replace a district’s policy (risk thresholds left out keep theirs)' })
  @ApiOkResponse({ type: DistrictPolicyAnswerDto })
  @ApiProblems(400, 401, 403, 404)
  async put(@CurrentUser() principal: Principal, @Param('code') code: string, @Body() body: DistrictPolicyDto): Promise<DistrictPolicyAnswerDto> {
    return fromPolicy(await this.policies.put(principal, code, toPolicy(body, await this.policies.policyOf(code))));
  }
}
