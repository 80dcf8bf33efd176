import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../clock/clock';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { DomainError, notFound, unprocessable } from '../errors/domain-error';
import { CalendarYear } from './calendar-year.entity';
import { District } from './district.entity';
import { Division, DivisionLevel } from './division.entity';

/** A division of the national list, with whether the platform serves it (has it in `districts`). */
export interface DivisionView {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
  served: boolean;
}

@Injectable()
export class ReferenceDataService {
  constructor(
    @InjectRepository(District) private readonly districts: Repository<District>,
    @InjectRepository(Division) private readonly divisions: Repository<Division>,
    @InjectRepository(CalendarYear) private readonly calendarYears: Repository<CalendarYear>,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  listDistricts(): Promise<District[]> {
    return this.districts.find({ order: { code: 'ASC' } });
  }

  findDistrict(code: string): Promise<District | null> {
    return this.districts.findOneBy({ code });
  }

  /** Whether the platform serves this district or city (not whether it exists: see findDivision). */
  isKnownDivision(code: string): Promise<boolean> {
    return this.districts.existsBy({ code });
  }

  /** A division of the national GB/T 2260 list, served or not. */
  findDivision(code: string): Promise<Division | null> {
    return this.divisions.findOneBy({ code });
  }

  /**
   * Browses the national list by code: the children of `parentCode`, one `level`, a search of names and
   * code prefixes (`q`), or any mix; with no filter at all, the provinces.
   */
  async listDivisions(filter: { parentCode?: string; level?: DivisionLevel; q?: string; page: number; pageSize: number }) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.parentCode) {
      params.push(filter.parentCode);
      where.push(`d.parent_code = $${params.length}`);
    }
    if (filter.level || (!filter.parentCode && !filter.q)) {
      params.push(filter.level ?? 'province');
      where.push(`d.level = $${params.length}`);
    }
    if (filter.q) {
      const escaped = filter.q.replace(/[\\%_]/g, '\\$&');
      params.push(`%${escaped}%`, `${escaped}%`);
      where.push(`(d.name LIKE $${params.length - 1} OR d.code LIKE $${params.length})`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM divisions d ${clause}`, params);
    const items: DivisionView[] = await this.dataSource.query(
      `SELECT d.code, d.name, d.level, d.parent_code AS "parentCode", (s.code IS NOT NULL) AS served
       FROM divisions d LEFT JOIN districts s ON s.code = d.code ${clause}
       ORDER BY d.code LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
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
      const division = await manager.findOneBy(Division, { code });
      if (!division) throw notFound(`The division ${code}`, 'REFERENCE.UNKNOWN_DISTRICT');
      if (division.level === 'province') {
        throw unprocessable('REFERENCE.NOT_SERVABLE', `${division.name} (${code}) is a province: serve its cities or districts.`);
      }
      const parent = division.parentCode ? await manager.findOneByOrFail(Division, { code: division.parentCode }) : null;
      const added: string[] = [];
      if (division.level === 'city') {
        await this.serveRow(manager, added, { code, name: division.name, nameEn, cityCode: null, province: parent?.name ?? null });
      } else if (parent?.level === 'city') {
        const province = await manager.findOneByOrFail(Division, { code: parent.parentCode! });
        await this.serveRow(manager, added, { code: parent.code, name: parent.name, nameEn: undefined, cityCode: null, province: province.name });
        await this.serveRow(manager, added, { code, name: division.name, nameEn, cityCode: parent.code, province: province.name });
      } else {
        await this.serveRow(manager, added, { code, name: division.name, nameEn, cityCode: code, province: parent?.name ?? null });
      }
      return { district: await manager.findOneByOrFail(District, { code }), added };
    });
  }

  private async serveRow(
    manager: EntityManager,
    added: string[],
    row: { code: string; name: string; nameEn?: string; cityCode: string | null; province: string | null },
  ): Promise<void> {
    const inserted: { code: string }[] = await manager.query(
      `INSERT INTO districts (code, name, name_en, city_code, province) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING code`,
      [row.code, row.name, row.nameEn ?? row.name, row.cityCode, row.province],
    );
    let renamed = false;
    if (!inserted.length && row.nameEn !== undefined) {
      const [, changed] = await manager.query(`UPDATE districts SET name_en = $2 WHERE code = $1 AND name_en <> $2`, [row.code, row.nameEn]);
      renamed = changed > 0;
    }
    if (!inserted.length && !renamed) return;
    if (inserted.length) added.push(row.code);
    await this.audit.record(manager, {
      action: 'district.served',
      targetType: 'district',
      targetId: row.code,
      districtCode: row.code,
      details: { name: row.name, nameEn: row.nameEn ?? row.name, cityCode: row.cityCode, province: row.province, newlyServed: inserted.length > 0 },
    });
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
      await manager.upsert(CalendarYear, { year, ...sorted, updatedAt: this.clock.now() }, ['year']);
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
