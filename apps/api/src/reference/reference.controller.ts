import { Body, Controller, Get, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, Public, ReferenceDataService, Roles } from '@app/core';
import { ApiProblems } from '../common/responses';
import { CalendarYearAnswerDto, CalendarYearDto } from './calendar.dto';
import { DistrictDto, DivisionPageDto, DivisionQueryDto, ServeDistrictDto, ServedDistrictDto } from './division.dto';

const CODE = /^\d{6}$/;
const yearPipe = new ParseIntPipe({ exceptionFactory: () => new DomainError(400, 'CALENDAR.BAD_YEAR', 'The year must be a number such as 2026.') });

@ApiTags('Reference data')
@Controller('api/v1')
export class ReferenceController {
  constructor(private readonly reference: ReferenceDataService) {}

  @Get('districts')
  @Public()
  @ApiOperation({ operationId: 'listDistricts', summary: 'The cities and districts the platform serves, by code' })
  @ApiOkResponse({ type: [DistrictDto] })
  districts(): Promise<DistrictDto[]> {
    return this.reference.listDistricts();
  }

  /** Serves a city or county-level district of the national list (its city too); 200 again when already served. */
  @Put('districts/:code')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'serveDistrict', summary: 'Serve a city or district of the national list (and its city); idempotent' })
  @ApiOkResponse({ type: ServedDistrictDto })
  @ApiProblems(400, 401, 403, 404, 422)
  serveDistrict(@Param('code') code: string, @Body() body: ServeDistrictDto): Promise<ServedDistrictDto> {
    if (!CODE.test(code)) throw new DomainError(404, 'REFERENCE.UNKNOWN_DISTRICT', `The division ${code} was not found.`);
    return this.reference.serveDivision(code, body.nameEn);
  }

  /** The national GB/T 2260 list (provinces, cities, county-level districts), each marked served or not. */
  @Get('divisions')
  @Public()
  @ApiOperation({ operationId: 'listDivisions', summary: 'Browse the national list of divisions (GB/T 2260), each marked served or not' })
  @ApiOkResponse({ type: DivisionPageDto })
  @ApiProblems(400)
  divisions(@Query() query: DivisionQueryDto): Promise<DivisionPageDto> {
    return this.reference.listDivisions(query);
  }

  @Get('calendar/:year')
  @Public()
  @ApiOperation({ operationId: 'getCalendarYear', summary: 'A year’s public holidays and make-up working days' })
  @ApiOkResponse({ type: CalendarYearAnswerDto })
  @ApiProblems(400, 404)
  calendar(@Param('year', yearPipe) year: number): Promise<CalendarYearAnswerDto> {
    return this.reference.getCalendarYear(year);
  }

  @Put('calendar/:year')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'putCalendarYear', summary: 'Replace a year’s holidays and make-up working days' })
  @ApiOkResponse({ type: CalendarYearAnswerDto })
  @ApiProblems(400, 401, 403, 422)
  putCalendar(@Param('year', yearPipe) year: number, @Body() body: CalendarYearDto): Promise<CalendarYearAnswerDto> {
    if (year < 2000 || year > 2100) throw new DomainError(400, 'CALENDAR.BAD_YEAR', 'The year must be between 2000 and 2100.');
    return this.reference.putCalendarYear(year, body.holidays, body.workdays);
  }
}
