import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { ReportsService } from '@app/oversight';
import { ApiProblems } from '../common/responses';
import { FileReportDto, PrefillQueryDto, ReportDto, ReportPageDto, ReportPrefillDto, ReportQueryDto, ReviewReportDto } from './reports.dto';

const reportId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'REPORT.NOT_FOUND', 'The report was not found.') });

@ApiTags('Oversight')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @Roles('institution')
  @ApiOperation({
    operationId: 'fileReport',
    summary:
      'Files the month’s report; replaces an earlier filing of the month unless it was accepted (REPORT.ALREADY_ACCEPTED, REPORT.FUTURE_MONTH, REPORT.INCONSISTENT_FIGURES, REPORT.INSTITUTION_REQUIRED)',
  })
  @ApiCreatedResponse({ type: ReportDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  file(@CurrentUser() owner: Principal, @Body() body: FileReportDto): Promise<ReportDto> {
    return this.reports.file(owner, body);
  }

  @Get('prefill')
  @Roles('institution')
  @ApiOperation({ operationId: 'prefillReport', summary: 'What the ledger and the registry know for the month, to pre-fill the form' })
  @ApiOkResponse({ type: ReportPrefillDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  prefill(@CurrentUser() owner: Principal, @Query() query: PrefillQueryDto): Promise<ReportPrefillDto> {
    return this.reports.prefill(owner, query.month, query.institutionId);
  }

  @Get()
  @Roles('institution', 'regulator', 'admin')
  @ApiOperation({
    operationId: 'listReports',
    summary: 'Reports of the owner’s institutions or the regulator’s districts, newest month first, each with its discrepancies',
  })
  @ApiOkResponse({ type: ReportPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentUser() principal: Principal, @Query() query: ReportQueryDto): Promise<ReportPageDto> {
    return this.reports.list(principal, query);
  }

  @Get(':id')
  @Roles('institution', 'regulator', 'admin')
  @ApiOperation({ operationId: 'getReport', summary: 'One report with its discrepancies' })
  @ApiOkResponse({ type: ReportDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentUser() principal: Principal, @Param('id', reportId) id: string): Promise<ReportDto> {
    return this.reports.get(principal, id);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'reviewReport', summary: 'A regulator of the district accepts or returns a filed report (REPORT.INVALID_STATE)' })
  @ApiOkResponse({ type: ReportDto })
  @ApiProblems(400, 401, 403, 404, 409)
  review(@CurrentUser() regulator: Principal, @Param('id', reportId) id: string, @Body() body: ReviewReportDto): Promise<ReportDto> {
    return this.reports.review(regulator, id, body.decision, body.note ?? null);
  }
}
