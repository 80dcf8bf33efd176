import { Clock, WorkingDayCalendar, isWeekend } from '@app/core';

/**
 * Dates for fixtures, always derived from the platform's clock, never written as literals, so the suite
 * passes on any day (scripts/test.js runs it on chosen days with TEST_TODAY; docs/testing.md).
 */

/** A contract window that began two weeks ago and runs six weeks on: inside every prepaid-months limit. */
export function contractWindow(clock: Clock, { startDaysAgo = 14, lastsDays = 45 } = {}): { startDate: string; endDate: string } {
  return { startDate: clock.daysFromToday(-startDaysAgo), endDate: clock.daysFromToday(lastsDays - startDaysAgo) };
}

/** A lesson start `daysAgo` days before today at `time` (Shanghai): in the past at any hour of today. */
export function lessonAt(clock: Clock, daysAgo = 1, time = '10:00'): string {
  if (daysAgo < 1) throw new Error('a fixture lesson lies at least a day back, so it is past whatever the hour');
  return `${clock.daysFromToday(-daysAgo)}T${time}:00+08:00`;
}

/** How many days back the latest day lies that `accept` accepts (searching the last `within` days). */
export function daysBackTo(clock: Clock, accept: (date: string) => boolean, within = 14): number {
  for (let back = 1; back <= within; back++) if (accept(clock.daysFromToday(-back))) return back;
  throw new Error(`no such day in the last ${within} days`);
}

/** The latest weekend day of the last fortnight that the calendar keeps as a rest day (not 调休). */
export const restWeekend = (calendar: WorkingDayCalendar) => (date: string) => isWeekend(date) && calendar.isRestDay(date);

/** Mondays, when weekly settlement cycles fall due. */
export const isMonday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() === 1;

/** The latest working day of the last fortnight. */
export const workingDay = (calendar: WorkingDayCalendar) => (date: string) => !calendar.isRestDay(date);
