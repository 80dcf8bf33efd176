// Business dates are Asia/Shanghai calendar dates written YYYY-MM-DD.
// China has kept UTC+8 all year round since it dropped daylight saving time in 1991, so a fixed
// +8 h shift of the instant is exact for every date we deal with. Shifting by hand instead of asking
// Intl or the local time zone keeps the answer the same on any server, whatever its TZ or ICU data.

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcMidnightOf(date: string): Date {
  const parts = DATE_PATTERN.exec(date);
  const midnight = parts ? new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]))) : undefined;
  // Date.UTC rolls 2026-02-30 over to 2026-03-02 (and maps years below 100 to 19xx): only a date that
  // reads back unchanged is real.
  if (!midnight || midnight.toISOString().slice(0, 10) !== date) {
    throw new RangeError(`Invalid calendar date ${JSON.stringify(date)}: expected a real date written YYYY-MM-DD`);
  }
  return midnight;
}

/** Throws a RangeError unless `date` is a real calendar date written YYYY-MM-DD. */
export function assertCalendarDate(date: string): void {
  utcMidnightOf(date);
}

function shiftedToShanghai(instant: Date): string {
  // toISOString throws a RangeError for an invalid Date, which is what we want.
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
}

export function shanghaiDate(instant: Date): string {
  return shiftedToShanghai(instant).slice(0, 10);
}

/** 'HH:MM' on the Shanghai wall clock. */
export function shanghaiTimeOfDay(instant: Date): string {
  return shiftedToShanghai(instant).slice(11, 16);
}

/** The instant at which the date begins in Shanghai (16:00 UTC the day before). */
export function shanghaiMidnight(date: string): Date {
  return new Date(utcMidnightOf(date).getTime() - SHANGHAI_OFFSET_MS);
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`A number of days must be a whole number, got ${n}`);
  return new Date(utcMidnightOf(date).getTime() + n * DAY_MS).toISOString().slice(0, 10);
}

export function isWeekend(date: string): boolean {
  const dayOfWeek = utcMidnightOf(date).getUTCDay();
  return dayOfWeek === 0 || dayOfWeek === 6;
}
