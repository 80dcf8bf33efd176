import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService, CurrentUser, Principal, Roles } from '@app/core';
import { ApiProblems } from '../common/responses';
import { AuditPageDto, AuditQueryDto } from './audit.dto';

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('regulator', 'admin')
  @ApiOperation({ operationId: 'listAuditEntries', summary: 'Regulator actions and money movements of the caller’s scope, newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentUser() principal: Principal, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(principal, query);
  }
}
