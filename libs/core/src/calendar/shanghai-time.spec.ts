import fc from 'fast-check';

import { addDays, assertCalendarDate, isWeekend, shanghaiDate, shanghaiMidnight, shanghaiTimeOfDay } from './shanghai-time';

const MALFORMED_DATES = [
  '2026-2-3',
  '2026-02-30',
  '2025-02-29',
  '2026-13-01',
  '2026-00-10',
  '20260301',
  '2026-03-01T00:00',
  '',
  '0050-01-01', // refused: Date.UTC reads years below 100 as 19xx, and no business date is that old
];

// Instants from 2000 to 2099, whole milliseconds.
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }).map((ms) => new Date(ms));

describe('assertCalendarDate', () => {
  it.each(['2026-03-01', '2024-02-29', '1999-12-31'])('accepts %s', (date) => {
    expect(() => assertCalendarDate(date)).not.toThrow();
  });

  it.each(MALFORMED_DATES)('throws a RangeError for %j', (date) => {
    expect(() => assertCalendarDate(date)).toThrow(RangeError);
  });
});

describe('shanghaiDate', () => {
  it.each([
    ['2026-03-01T16:30:00Z', '2026-03-02'],
    ['2026-03-01T15:59:59.999Z', '2026-03-01'],
    ['2026-03-01T16:00:00Z', '2026-03-02'],
    ['2025-12-31T16:00:00Z', '2026-01-01'],
    ['2024-02-28T17:00:00Z', '2024-02-29'],
    ['2026-07-01T00:00:00+08:00', '2026-07-01'],
  ])('gives the Shanghai date of %s as %s', (iso, expected) => {
    expect(shanghaiDate(new Date(iso))).toBe(expected);
  });

  it('gives the same date whatever the time zone of the process', () => {
    const processTimeZone = process.env.TZ;
    try {
      for (const timeZone of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = timeZone;
        expect(shanghaiDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
      }
    } finally {
      if (processTimeZone === undefined) delete process.env.TZ;
      else process.env.TZ = processTimeZone;
    }
  });

  it('throws a RangeError for an invalid Date', () => {
    expect(() => shanghaiDate(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('shanghaiTimeOfDay', () => {
  it.each([
    ['2026-03-01T16:30:00Z', '00:30'],
    ['2026-03-01T12:30:59Z', '20:30'],
    ['2026-03-01T15:59:59Z', '23:59'],
    ['2026-03-01T00:00:00Z', '08:00'],
  ])('gives the Shanghai wall clock of %s as %s', (iso, expected) => {
    expect(shanghaiTimeOfDay(new Date(iso))).toBe(expected);
  });
});

describe('shanghaiMidnight', () => {
  it('is 16:00 UTC of the day before', () => {
    expect(shanghaiMidnight('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });

  it('crosses the year boundary in UTC', () => {
    expect(shanghaiMidnight('2026-01-01').toISOString()).toBe('2025-12-31T16:00:00.000Z');
  });

  it.each(MALFORMED_DATES)('throws a RangeError for %j', (date) => {
    expect(() => shanghaiMidnight(date)).toThrow(RangeError);
  });

  it('begins the Shanghai date of any instant, no later than the instant and less than a day before it', () => {
    fc.assert(
      fc.property(instant, (moment) => {
        const midnight = shanghaiMidnight(shanghaiDate(moment));
        expect(shanghaiDate(midnight)).toBe(shanghaiDate(moment));
        expect(shanghaiTimeOfDay(midnight)).toBe('00:00');
        expect(moment.getTime() - midnight.getTime()).toBeGreaterThanOrEqual(0);
        expect(moment.getTime() - midnight.getTime()).toBeLessThan(24 * 60 * 60 * 1000);
      }),
    );
  });
});

describe('addDays', () => {
  it.each([
    ['2026-03-01', 0, '2026-03-01'],
    ['2026-03-01', 1, '2026-03-02'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('moves %s by %i days to %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('throws a RangeError for a fractional number of days', () => {
    expect(() => addDays('2026-03-01', 0.5)).toThrow(RangeError);
  });

  it.each(MALFORMED_DATES)('throws a RangeError for %j', (date) => {
    expect(() => addDays(date, 1)).toThrow(RangeError);
  });
});

describe('isWeekend', () => {
  it.each([
    ['2026-02-14', true], // Saturday
    ['2026-02-15', true], // Sunday
    ['2026-02-16', false], // Monday
    ['2026-02-13', false], // Friday
    ['2026-01-01', false], // Thursday: a holiday, but not a weekend
  ])('says %s is a weekend: %s', (date, expected) => {
    expect(isWeekend(date)).toBe(expected);
  });

  it.each(MALFORMED_DATES)('throws a RangeError for %j', (date) => {
    expect(() => isWeekend(date)).toThrow(RangeError);
  });
});
