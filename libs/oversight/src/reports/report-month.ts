import { assertCalendarDate, shanghaiMidnight } from '@app/core/calendar/shanghai-time';

/** A reporting month written 'YYYY-MM'. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month a business date ('YYYY-MM-DD') falls in. */
export function monthOf(date: string): string {
  assertCalendarDate(date);
  return date.slice(0, 7);
}

export function addMonths(month: string, n: number): string {
  if (!MONTH_PATTERN.test(month)) throw new RangeError(`Invalid month ${JSON.stringify(month)}: expected YYYY-MM`);
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The instants at which the month begins and the next one begins, in Shanghai: [from, to). */
export function monthInstants(month: string): { from: Date; to: Date } {
  return { from: shanghaiMidnight(`${month}-01`), to: shanghaiMidnight(`${addMonths(month, 1)}-01`) };
}

/** The last day on which the report of `month` is on time: day `reportDueDay` of the following month. */
export function reportDueDate(month: string, reportDueDay: number): string {
  const date = `${addMonths(month, 1)}-${String(reportDueDay).padStart(2, '0')}`;
  assertCalendarDate(date);
  return date;
}
