import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AuditService, CurrentUser, Principal, Roles } from '@app/core';
import { PageQueryDto } from '../common/page-query.dto';

class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  targetId?: string;
}

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('regulator', 'admin')
  list(@CurrentUser() principal: Principal, @Query() query: AuditQueryDto) {
    return this.audit.list(principal, query);
  }
}
