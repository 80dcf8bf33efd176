import { addDays, assertCalendarDate, isWeekend } from './shanghai-time';

/** One year of the State Council's holiday notice: days off on weekdays, and make-up working days (调休) on weekends. */
export type YearCalendar = { holidays: string[]; workdays: string[] };

/**
 * Working days of mainland China. A listed holiday is a day off even on a weekday, a listed make-up
 * working day is a working day even on a weekend, and every other Saturday and Sunday is off.
 *
 * A year without data follows the weekend rule alone: the next year's notice comes out in November, and
 * deadlines that run into it must still be computed. Callers that must not guess check hasYear first.
 */
export class WorkingDayCalendar {
  private readonly years = new Set<number>();
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();

  constructor(calendars: ReadonlyMap<number, YearCalendar> | Record<number | string, YearCalendar>) {
    const entries: [number | string, YearCalendar][] = calendars instanceof Map ? [...calendars.entries()] : Object.entries(calendars);
    for (const [key, calendar] of entries) {
      const year = Number(key);
      if (!Number.isInteger(year)) throw new RangeError(`Calendar key ${JSON.stringify(key)} is not a year`);
      this.years.add(year);
      calendar.holidays.forEach((date) => this.holidays.add(checkedDateOfYear(date, year)));
      calendar.workdays.forEach((date) => this.workdays.add(checkedDateOfYear(date, year)));
    }
    const contradictions = [...this.holidays].filter((date) => this.workdays.has(date));
    if (contradictions.length > 0) {
      throw new RangeError(`Dates listed both as holidays and as workdays: ${contradictions.join(', ')}`);
    }
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  /** A listed public holiday (not merely a weekend). */
  isHoliday(date: string): boolean {
    assertCalendarDate(date);
    return this.holidays.has(date);
  }

  isWorkingDay(date: string): boolean {
    if (this.isHoliday(date)) return false;
    return this.workdays.has(date) || !isWeekend(date);
  }

  isRestDay(date: string): boolean {
    return !this.isWorkingDay(date);
  }

  /**
   * The n-th working day after `date`, counted from the day after it whether or not `date` itself is a
   * working day, so that workingDaysBetween(date, addWorkingDays(date, n)) is n for n ≥ 1.
   * n = 0 answers `date` when it is a working day, else the next working day: a deadline of zero working
   * days cannot fall on a day off.
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`A number of working days must be a whole number ≥ 0, got ${n}`);
    }
    if (n === 0) return this.isWorkingDay(date) ? date : this.addWorkingDays(date, 1);
    let current = date;
    let remaining = n;
    while (remaining > 0) {
      current = addDays(current, 1);
      if (this.isWorkingDay(current)) remaining -= 1;
    }
    return current;
  }

  /** Working days in (from, to]: `from` excluded, `to` included; 0 when `to` is not after `from`. */
  workingDaysBetween(from: string, to: string): number {
    assertCalendarDate(to);
    let count = 0;
    for (let current = addDays(from, 1); current <= to; current = addDays(current, 1)) {
      if (this.isWorkingDay(current)) count++;
    }
    return count;
  }
}

function checkedDateOfYear(date: string, year: number): string {
  assertCalendarDate(date);
  if (Number(date.slice(0, 4)) !== year) {
    throw new RangeError(`Calendar date ${date} is listed under the year ${year}`);
  }
  return date;
}
