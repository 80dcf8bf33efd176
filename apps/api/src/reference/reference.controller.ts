import { Body, Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError, Public, ReferenceDataService, Roles } from '@app/core';
import { CalendarYearDto } from './calendar.dto';

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
