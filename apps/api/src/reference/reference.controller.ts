import { Body, Controller, Get, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError, Public, ReferenceDataService, Roles } from '@app/core';
import { CalendarYearDto } from './calendar.dto';
import { DivisionQueryDto, ServeDistrictDto } from './division.dto';

const CODE = /^\d{6}$/;
const yearPipe = new ParseIntPipe({ exceptionFactory: () => new DomainError(400, 'CALENDAR.BAD_YEAR', 'The year must be a number such as 2026.') });

@ApiTags('Reference data')
@Controller('api/v1')
export class ReferenceController {
  constructor(private readonly reference: ReferenceDataService) {}

  @Get('districts')
  @Public()
  districts() {
    return this.reference.listDistricts();
  }

  /** Serves a city or county-level district of the national list (its city too); 200 again when already served. */
  @Put('districts/:code')
  @Roles('admin')
  @ApiBearerAuth()
  serveDistrict(@Param('code') code: string, @Body() body: ServeDistrictDto) {
    if (!CODE.test(code)) throw new DomainError(404, 'REFERENCE.UNKNOWN_DISTRICT', `The division ${code} was not found.`);
    return this.reference.serveDivision(code, body.nameEn);
  }

  /** The national GB/T 2260 list (provinces, cities, county-level districts), each marked served or not. */
  @Get('divisions')
  @Public()
  divisions(@Query() query: DivisionQueryDto) {
    return this.reference.listDivisions(query);
  }

  @Get('calendar/:year')
  @Public()
  async calendar(@Param('year', yearPipe) year: number) {
    const found = await this.reference.getCalendarYear(year);
    return { year: found.year, holidays: found.holidays, workdays: found.workdays, updatedAt: found.updatedAt };
  }

  @Put('calendar/:year')
  @Roles('admin')
  @ApiBearerAuth()
  async putCalendar(@Param('year', yearPipe) year: number, @Body() body: CalendarYearDto) {
    if (year < 2000 || year > 2100) throw new DomainError(400, 'CALENDAR.BAD_YEAR', 'The year must be between 2000 and 2100.');
    const saved = await this.reference.putCalendarYear(year, body.holidays, body.workdays);
    return { year: saved.year, holidays: saved.holidays, workdays: saved.workdays, updatedAt: saved.updatedAt };
  }
}
