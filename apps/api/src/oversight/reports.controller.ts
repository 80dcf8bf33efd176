import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { ReportsService } from '@app/oversight';
import { FileReportDto, PrefillQueryDto, ReportQueryDto, ReviewReportDto } from './reports.dto';

const reportId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'REPORT.NOT_FOUND', 'The report was not found.') });

@ApiTags('Oversight')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Files the month's report; replaces an earlier filing of the month unless it was accepted. */
  @Post()
  @Roles('institution')
  file(@CurrentUser() owner: Principal, @Body() body: FileReportDto) {
    return this.reports.file(owner, body);
  }

  /** What the ledger and the registry know for the month, to pre-fill the form. */
  @Get('prefill')
  @Roles('institution')
  prefill(@CurrentUser() owner: Principal, @Query() query: PrefillQueryDto) {
    return this.reports.prefill(owner, query.month, query.institutionId);
  }

  @Get()
  @Roles('institution', 'regulator', 'admin')
  list(@CurrentUser() principal: Principal, @Query() query: ReportQueryDto) {
    return this.reports.list(principal, query);
  }

  @Get(':id')
  @Roles('institution', 'regulator', 'admin')
  get(@CurrentUser() principal: Principal, @Param('id', reportId) id: string) {
    return this.reports.get(principal, id);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('regulator')
  review(@CurrentUser() regulator: Principal, @Param('id', reportId) id: string, @Body() body: ReviewReportDto) {
    return this.reports.review(regulator, id, body.decision, body.note ?? null);
  }
}
