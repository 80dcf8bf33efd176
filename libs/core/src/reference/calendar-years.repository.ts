import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '../database/sql';

/** One year's public holidays and make-up working days (调休), as the State Council publishes them. */
export interface CalendarYear {
  year: number;
  /** Dates YYYY-MM-DD. */
  holidays: string[];
  workdays: string[];
  updatedAt: Date;
}

const COLUMNS = `year, holidays, workdays, updated_at AS "updatedAt"`;

@Injectable()
export class CalendarYearsRepository {
  all(db: Db): Promise<CalendarYear[]> {
    return rows<CalendarYear>(db, `SELECT ${COLUMNS} FROM calendar_years`);
  }

  find(db: Db, year: number): Promise<CalendarYear | undefined> {
    return firstRow<CalendarYear>(db, `SELECT ${COLUMNS} FROM calendar_years WHERE year = $1`, [year]);
  }

  /** Replaces the year's lists (or adds the year), and answers the year as stored. */
  async put(db: Db, calendar: CalendarYear): Promise<CalendarYear> {
    const saved = await firstRow<CalendarYear>(
      db,
      `INSERT INTO calendar_years (year, holidays, workdays, updated_at) VALUES ($1, $2::date[], $3::date[], $4)
       ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, workdays = EXCLUDED.workdays, updated_at = EXCLUDED.updated_at
       RETURNING ${COLUMNS}`,
      [calendar.year, calendar.holidays, calendar.workdays, calendar.updatedAt],
    );
    return saved!;
  }
}
