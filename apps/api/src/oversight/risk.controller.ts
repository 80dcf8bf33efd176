import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { RiskService } from '@app/oversight';
import { PageQueryDto } from '../common/page-query.dto';

class RiskInstitutionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['green', 'yellow', 'red'] }) @IsOptional() @IsIn(['green', 'yellow', 'red']) level?: 'green' | 'yellow' | 'red';
}

class AlertsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'] }) @IsOptional() @IsIn(['open', 'resolved']) status?: 'open' | 'resolved';
}

class ResolveAlertDto {
  @ApiProperty({ example: '已约谈机构负责人，资金已补足' }) @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
}

const alertId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'ALERT.NOT_FOUND', 'The alert was not found.') });

@ApiTags('Oversight')
@ApiBearerAuth()
@Controller('api/v1/risk')
export class RiskController {
  constructor(private readonly risk: RiskService) {}

  @Get('institutions')
  @Roles('regulator', 'admin')
  institutions(@CurrentUser() principal: Principal, @Query() query: RiskInstitutionsQueryDto) {
    return this.risk.institutions(principal, query);
  }

  @Get('alerts')
  @Roles('regulator', 'admin')
  alerts(@CurrentUser() principal: Principal, @Query() query: AlertsQueryDto) {
    return this.risk.alerts(principal, query);
  }

  @Post('alerts/:id/resolve')
  @HttpCode(200)
  @Roles('regulator')
  resolve(@CurrentUser() principal: Principal, @Param('id', alertId) id: string, @Body() body: ResolveAlertDto) {
    return this.risk.resolveAlert(principal, id, body.note);
  }
}
