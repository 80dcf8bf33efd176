import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../clock/clock';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { DomainError, notFound, unprocessable } from '../errors/domain-error';
import { CalendarYear, CalendarYearsRepository } from './calendar-years.repository';
import { District, DistrictsRepository } from './districts.repository';
import { Division, DivisionLevel, DivisionView, DivisionsRepository } from './divisions.repository';

@Injectable()
export class ReferenceDataService {
  constructor(
    private readonly districts: DistrictsRepository,
    private readonly divisions: DivisionsRepository,
    private readonly calendarYears: CalendarYearsRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  listDistricts(): Promise<District[]> {
    return this.districts.all(this.dataSource.manager);
  }

  findDistrict(code: string): Promise<District | undefined> {
    return this.districts.find(this.dataSource.manager, code);
  }

  /** Whether the platform serves this district or city (not whether it exists: see findDivision). */
  async isKnownDivision(code: string): Promise<boolean> {
    return Boolean(await this.findDistrict(code));
  }

  /** A division of the national GB/T 2260 list, served or not. */
  findDivision(code: string): Promise<Division | undefined> {
    return this.divisions.find(this.dataSource.manager, code);
  }

  /**
   * Browses the national list by code: the children of `parentCode`, one `level`, a search of names and
   * code prefixes (`q`), or any mix; with no filter at all, the provinces.
   */
  async listDivisions(filter: {
    parentCode?: string;
    level?: DivisionLevel;
    q?: string;
    page: number;
    pageSize: number;
  }): Promise<{ items: DivisionView[]; total: number; page: number; pageSize: number }> {
    const { items, total } = await this.divisions.page(this.dataSource.manager, {
      parentCode: filter.parentCode,
      level: filter.level ?? (filter.parentCode || filter.q ? undefined : 'province'),
      q: filter.q,
      limit: filter.pageSize,
      offset: (filter.page - 1) * filter.pageSize,
    });
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  /**
   * Makes the platform serve a city or a county-level district of the national list, copying its name
   * and parent; a district's city is served with it. Idempotent: serving a served one changes only a
   * given English name. Each newly served row is audited as 'district.served'.
   * A county-level city directly under its province (省直辖县, e.g. 429004 仙桃市) has no city: it is
   * served as its own city (city_code = its own code), so it stays a district to every reader of
   * `districts` and its regulator's scope is the one district.
   */
  async serveDivision(code: string, nameEn?: string): Promise<{ district: District; added: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const division = await this.divisions.find(manager, code);
      if (!division) throw notFound(`The division ${code}`, 'REFERENCE.UNKNOWN_DISTRICT');
      if (division.level === 'province') {
        throw unprocessable('REFERENCE.NOT_SERVABLE', `${division.name} (${code}) is a province: serve its cities or districts.`);
      }
      // Parents exist: divisions.parent_code references divisions, and only a province has none.
      const parent = division.parentCode ? (await this.divisions.find(manager, division.parentCode))! : null;
      const added: string[] = [];
      if (division.level === 'city') {
        await this.serveRow(manager, added, { code, name: division.name, nameEn, cityCode: null, province: parent?.name ?? null });
      } else if (parent?.level === 'city') {
        const province = (await this.divisions.find(manager, parent.parentCode!))!;
        await this.serveRow(manager, added, { code: parent.code, name: parent.name, nameEn: undefined, cityCode: null, province: province.name });
        await this.serveRow(manager, added, { code, name: division.name, nameEn, cityCode: parent.code, province: province.name });
      } else {
        await this.serveRow(manager, added, { code, name: division.name, nameEn, cityCode: code, province: parent?.name ?? null });
      }
      return { district: (await this.districts.find(manager, code))!, added };
    });
  }

  private async serveRow(
    manager: EntityManager,
    added: string[],
    row: { code: string; name: string; nameEn?: string; cityCode: string | null; province: string | null },
  ): Promise<void> {
    const inserted = await this.districts.insertIfNew(manager, { ...row, nameEn: row.nameEn ?? row.name });
    const renamed = !inserted && row.nameEn !== undefined && (await this.districts.rename(manager, row.code, row.nameEn));
    if (!inserted && !renamed) return;
    if (inserted) added.push(row.code);
    await this.audit.record(manager, {
      action: 'district.served',
      targetType: 'district',
      targetId: row.code,
      districtCode: row.code,
      details: { name: row.name, nameEn: row.nameEn ?? row.name, cityCode: row.cityCode, province: row.province, newlyServed: inserted },
    });
  }

  async getCalendarYear(year: number): Promise<CalendarYear> {
    const found = await this.calendarYears.find(this.dataSource.manager, year);
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
      const saved = await this.calendarYears.put(manager, { year, ...sorted, updatedAt: this.clock.now() });
      await this.audit.record(manager, { action: 'calendar.updated', targetType: 'calendar', targetId: String(year), details: sorted });
      return saved;
    });
  }

  /** The working-day calendar over every year on record. */
  async workingDayCalendar(): Promise<WorkingDayCalendar> {
    const years = await this.calendarYears.all(this.dataSource.manager);
    return new WorkingDayCalendar(Object.fromEntries(years.map((y) => [y.year, { holidays: y.holidays, workdays: y.workdays }])));
  }
}
