import fc from 'fast-check';

import cnCalendar from './data/cn-calendar.json';
import { addDays } from './shanghai-time';
import { WorkingDayCalendar, YearCalendar } from './working-day-calendar';

// Expected values below were worked out by hand from the 2025 and 2026 notices (weekday of each date
// included) and checked once more against a brute-force count.
const PUBLISHED_YEARS: Record<number, YearCalendar> = { 2025: cnCalendar['2025'], 2026: cnCalendar['2026'] };

// Any date of the two published years.
const publishedDate = fc.integer({ min: 0, max: 729 }).map((offset) => addDays('2025-01-01', offset));

describe('WorkingDayCalendar', () => {
  let sut: WorkingDayCalendar;

  beforeEach(() => {
    sut = new WorkingDayCalendar(PUBLISHED_YEARS);
  });

  describe('constructor', () => {
    it('reads a Map the same way as a record', () => {
      const fromMap = new WorkingDayCalendar(new Map([[2026, cnCalendar['2026']]]));
      expect(fromMap.isWorkingDay('2026-02-14')).toBe(true);
      expect(fromMap.isHoliday('2026-02-16')).toBe(true);
      expect(fromMap.hasYear(2026)).toBe(true);
    });

    it('reads years given as string keys, as in JSON', () => {
      expect(new WorkingDayCalendar({ '2026': cnCalendar['2026'] }).hasYear(2026)).toBe(true);
    });

    it('throws a RangeError for a malformed date in the data', () => {
      expect(() => new WorkingDayCalendar({ 2026: { holidays: ['2026-2-16'], workdays: [] } })).toThrow(RangeError);
    });

    it('throws a RangeError for a date listed under another year', () => {
      expect(() => new WorkingDayCalendar({ 2026: { holidays: ['2025-10-01'], workdays: [] } })).toThrow(RangeError);
    });

    it('throws a RangeError for a date listed both as a holiday and as a workday', () => {
      expect(() => new WorkingDayCalendar({ 2026: { holidays: ['2026-10-10'], workdays: ['2026-10-10'] } })).toThrow(RangeError);
    });

    it('throws a RangeError for a key that is not a year', () => {
      expect(() => new WorkingDayCalendar({ about: { holidays: [], workdays: [] } })).toThrow(RangeError);
    });
  });

  describe('hasYear', () => {
    it('is true for a year with data', () => {
      expect(sut.hasYear(2025)).toBe(true);
      expect(sut.hasYear(2026)).toBe(true);
    });

    it('is false for a year without data', () => {
      expect(sut.hasYear(2027)).toBe(false);
    });
  });

  describe('isHoliday', () => {
    it.each([
      ['2026-01-01', true], // New Year's Day, Thursday
      ['2026-02-21', true], // Spring Festival, Saturday
      ['2026-10-07', true], // National Day, Wednesday
      ['2026-03-07', false], // an ordinary Saturday
      ['2026-02-14', false], // a make-up working day
      ['2026-03-09', false], // an ordinary Monday
    ])('says %s is a public holiday: %s', (date, expected) => {
      expect(sut.isHoliday(date)).toBe(expected);
    });

    it('throws a RangeError for a malformed date', () => {
      expect(() => sut.isHoliday('2026-02-30')).toThrow(RangeError);
    });
  });

  describe('isWorkingDay', () => {
    it.each([
      '2026-01-04', // Sunday
      '2026-02-14', // Saturday
      '2026-02-28', // Saturday
      '2026-10-10', // Saturday
      '2025-01-26', // Sunday
    ])('is true on the make-up working day %s, a weekend', (date) => {
      expect(sut.isWorkingDay(date)).toBe(true);
    });

    it.each([
      '2026-01-02', // Friday
      '2026-02-16', // Monday
      '2026-10-05', // Monday
      '2025-10-08', // Wednesday
    ])('is false on the holiday %s, a weekday', (date) => {
      expect(sut.isWorkingDay(date)).toBe(false);
    });

    it.each(['2026-03-07', '2026-03-08'])('is false on the ordinary weekend day %s', (date) => {
      expect(sut.isWorkingDay(date)).toBe(false);
    });

    it.each(['2026-03-09', '2026-03-13'])('is true on the ordinary weekday %s', (date) => {
      expect(sut.isWorkingDay(date)).toBe(true);
    });

    it('follows the weekend rule alone in a year without data', () => {
      expect(sut.isWorkingDay('2027-01-01')).toBe(true); // Friday
      expect(sut.isWorkingDay('2027-01-02')).toBe(false); // Saturday
    });

    it.each(['2026-2-14', '2026-02-29', '14/02/2026', ''])('throws a RangeError for the malformed date %j', (date) => {
      expect(() => sut.isWorkingDay(date)).toThrow(RangeError);
    });
  });

  describe('isRestDay', () => {
    it.each([
      ['2026-02-16', true], // Spring Festival, Monday
      ['2026-03-07', true], // ordinary Saturday
      ['2026-02-28', false], // make-up Saturday
      ['2026-03-09', false], // ordinary Monday
    ])('says %s is a rest day: %s', (date, expected) => {
      expect(sut.isRestDay(date)).toBe(expected);
    });
  });

  describe('addWorkingDays', () => {
    it.each([
      ['2026-02-13', 1, '2026-02-14'], // Friday → the make-up Saturday before Spring Festival
      ['2026-02-14', 1, '2026-02-24'], // over the whole Spring Festival, 15th to 23rd
      ['2026-09-30', 1, '2026-10-08'], // over National Day, 1st to 7th
      ['2026-10-07', 3, '2026-10-10'], // Thursday, Friday, then the make-up Saturday
      ['2026-10-10', 1, '2026-10-12'], // make-up Saturday → Monday
      ['2026-04-30', 1, '2026-05-06'], // over Labour Day, 1st to 5th
      ['2025-12-31', 1, '2026-01-04'], // over New Year into the make-up Sunday of the next year
      ['2026-03-06', 1, '2026-03-09'], // ordinary Friday → Monday
      ['2026-03-07', 1, '2026-03-09'], // ordinary Saturday → Monday
    ])('moves %s by %i working days to %s', (date, n, expected) => {
      expect(sut.addWorkingDays(date, n)).toBe(expected);
    });

    it.each([
      ['2026-03-02', '2026-03-11'], // ordinary weeks: Monday → Wednesday of the next week
      ['2026-02-10', '2026-02-26'], // through the make-up Saturday and Spring Festival
      ['2026-09-28', '2026-10-13'], // through National Day and its make-up Saturday
      ['2025-12-29', '2026-01-08'], // into the next year, through New Year and the make-up Sunday
      ['2025-01-24', '2025-02-10'], // Spring Festival 2025 with make-up days on both sides
    ])('ends a window of 7 working days from %s on %s', (date, expected) => {
      expect(sut.addWorkingDays(date, 7)).toBe(expected);
    });

    it.each([
      ['2026-03-09', '2026-03-09'], // ordinary Monday
      ['2026-02-14', '2026-02-14'], // make-up Saturday
      ['2026-03-07', '2026-03-09'], // ordinary Saturday
      ['2026-02-15', '2026-02-24'], // first day of Spring Festival
    ])('moves %s by 0 working days to %s, the same day or the next working day', (date, expected) => {
      expect(sut.addWorkingDays(date, 0)).toBe(expected);
    });

    it('lands on a working day with exactly n working days after the start', () => {
      fc.assert(
        fc.property(publishedDate, fc.integer({ min: 1, max: 30 }), (date, n) => {
          const end = sut.addWorkingDays(date, n);
          expect(sut.isWorkingDay(end)).toBe(true);
          expect(sut.workingDaysBetween(date, end)).toBe(n);
        }),
      );
    });

    it.each([-1, 1.5, Number.NaN])('throws a RangeError for %p working days', (n) => {
      expect(() => sut.addWorkingDays('2026-03-09', n)).toThrow(RangeError);
    });

    it('throws a RangeError for a malformed date', () => {
      expect(() => sut.addWorkingDays('2026-03-9', 1)).toThrow(RangeError);
    });
  });

  describe('workingDaysBetween', () => {
    it.each([
      ['2026-03-01', '2026-03-08', 5], // an ordinary week, Monday to Friday
      ['2026-02-13', '2026-02-24', 2], // the make-up Saturday and the Tuesday after Spring Festival
      ['2026-02-14', '2026-02-23', 0], // Spring Festival only
      ['2026-10-01', '2026-10-12', 4], // 8th, 9th, make-up 10th and 12th
      ['2025-12-31', '2026-01-04', 1], // the make-up Sunday after New Year
      ['2024-12-31', '2025-12-31', 248], // the whole of 2025
      ['2025-12-31', '2026-12-31', 248], // the whole of 2026
    ])('counts the working days after %s up to and including %s as %i', (from, to, expected) => {
      expect(sut.workingDaysBetween(from, to)).toBe(expected);
    });

    it('is 0 from a date to itself', () => {
      expect(sut.workingDaysBetween('2026-03-09', '2026-03-09')).toBe(0);
    });

    it('is 0 when the end comes before the start', () => {
      expect(sut.workingDaysBetween('2026-03-13', '2026-03-09')).toBe(0);
    });

    it('adds up over consecutive intervals', () => {
      fc.assert(
        fc.property(publishedDate, publishedDate, publishedDate, (...dates) => {
          const [first, middle, last] = dates.sort();
          expect(sut.workingDaysBetween(first, middle) + sut.workingDaysBetween(middle, last)).toBe(sut.workingDaysBetween(first, last));
        }),
      );
    });

    it.each([
      ['2026-3-01', '2026-03-08'],
      ['2026-03-01', '2026-03-32'],
    ])('throws a RangeError for the malformed dates %j and %j', (from, to) => {
      expect(() => sut.workingDaysBetween(from, to)).toThrow(RangeError);
    });
  });
});
