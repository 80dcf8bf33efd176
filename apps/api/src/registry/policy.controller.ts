import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@app/core';
import { DistrictPolicyService } from '@app/registry';
import { DistrictPolicyDto, fromPolicy, toPolicy } from './policy.dto';

@ApiTags('Registry')
@ApiBearerAuth()
@Controller('api/v1/districts/:code/policy')
export class PolicyController {
  constructor(private readonly policies: DistrictPolicyService) {}

  @Get()
  @Roles('admin', 'regulator', 'institution', 'parent', 'bank')
  async get(@Param('code') code: string) {
    return fromPolicy(await this.policies.get(code));
  }

  @Put()
  @Roles('regulator')
  async put(@CurrentUser() principal: Principal, @Param('code') code: string, @Body() body: DistrictPolicyDto) {
    return fromPolicy(await this.policies.put(principal, code, toPolicy(body, await this.policies.policyOf(code))));
  }
}
