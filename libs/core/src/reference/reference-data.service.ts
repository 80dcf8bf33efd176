import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { DomainError, notFound } from '../errors/domain-error';
import { CalendarYear } from './calendar-year.entity';
import { District } from './district.entity';

@Injectable()
export class ReferenceDataService {
  constructor(
    @InjectRepository(District) private readonly districts: Repository<District>,
    @InjectRepository(CalendarYear) private readonly calendarYears: Repository<CalendarYear>,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  listDistricts(): Promise<District[]> {
    return this.districts.find({ order: { code: 'ASC' } });
  }

  findDistrict(code: string): Promise<District | null> {
    return this.districts.findOneBy({ code });
  }

  isKnownDivision(code: string): Promise<boolean> {
    return this.districts.existsBy({ code });
  }

  async getCalendarYear(year: number): Promise<CalendarYear> {
    const found = await this.calendarYears.findOneBy({ year });
    if (!found) throw notFound(`The calendar of ${year}`, 'CALENDAR.NOT_FOUND');
    return found;
  }

  async putCalendarYear(year: number, holidays: string[], workdays: string[]): Promise<CalendarYear> {
    const outside = [...holidays, ...workdays].filter((date) => !date.startsWith(`${year}-`));
    if (outside.length) {
      throw new DomainError(422, 'CALENDAR.DATE_OUTSIDE_YEAR', `Dates must fall in ${year}: ${outside.join(', ')}.`);
    }
    const both = holidays.filter((date) => workdays.includes(date));
    if (both.length) {
      throw new DomainError(422, 'CALENDAR.DATE_IN_BOTH_LISTS', `A date cannot be both a holiday and a working day: ${both.join(', ')}.`);
    }
    return this.dataSource.transaction(async (manager) => {
      const sorted = { holidays: [...new Set(holidays)].sort(), workdays: [...new Set(workdays)].sort() };
      await manager.upsert(CalendarYear, { year, ...sorted }, ['year']);
      await this.audit.record(manager, { action: 'calendar.updated', targetType: 'calendar', targetId: String(year), details: sorted });
      return manager.findOneByOrFail(CalendarYear, { year });
    });
  }

  /** The working-day calendar over every year on record. */
  async workingDayCalendar(): Promise<WorkingDayCalendar> {
    const years = await this.calendarYears.find();
    return new WorkingDayCalendar(Object.fromEntries(years.map((y) => [y.year, { holidays: y.holidays, workdays: y.workdays }])));
  }
}
