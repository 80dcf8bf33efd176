import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { RiskService } from '@app/oversight';
import { ApiProblems } from '../common/responses';
import { AlertPageDto, AlertsQueryDto, InstitutionRiskPageDto, ResolveAlertDto, ResolvedAlertDto, RiskInstitutionsQueryDto } from './risk.dto';

const alertId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'ALERT.NOT_FOUND', 'The alert was not found.') });

@ApiTags('Oversight')
@ApiBearerAuth()
@Controller('api/v1/risk')
export class RiskController {
  constructor(private readonly risk: RiskService) {}

  @Get('institutions')
  @Roles('regulator', 'admin')
  @ApiOperation({
    operationId: 'listRiskInstitutions',
    summary: 'Licensed, suspended and expired institutions of the caller’s scope with their risk level and open flags, red first',
  })
  @ApiOkResponse({ type: InstitutionRiskPageDto })
  @ApiProblems(400, 401, 403)
  institutions(@CurrentUser() principal: Principal, @Query() query: RiskInstitutionsQueryDto): Promise<InstitutionRiskPageDto> {
    return this.risk.institutions(principal, query);
  }

  @Get('alerts')
  @Roles('regulator', 'admin')
  @ApiOperation({ operationId: 'listAlerts', summary: 'Risk and reconciliation alerts of the caller’s scope, newest first' })
  @ApiOkResponse({ type: AlertPageDto })
  @ApiProblems(400, 401, 403)
  alerts(@CurrentUser() principal: Principal, @Query() query: AlertsQueryDto): Promise<AlertPageDto> {
    return this.risk.alerts(principal, query);
  }

  @Post('alerts/:id/resolve')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({
    operationId: 'resolveAlert',
    summary: 'A regulator of the district resolves an alert with a note; the red flags behind it are resolved and the level follows (ALERT.ALREADY_RESOLVED)',
  })
  @ApiOkResponse({ type: ResolvedAlertDto })
  @ApiProblems(400, 401, 403, 404, 409)
  resolve(@CurrentUser() principal: Principal, @Param('id', alertId) id: string, @Body() body: ResolveAlertDto): Promise<ResolvedAlertDto> {
    return this.risk.resolveAlert(principal, id, body.note);
  }
}
