import { DEFAULT_POLICY } from '@app/registry/policy/district-policy';
import { monthsSpanned, prepaidLimitBreach } from './prepaid-limits';

describe('monthsSpanned', () => {
  it('counts a started month as whole', () => {
    expect(monthsSpanned('2026-01-15', '2026-03-14')).toBe(2);
    expect(monthsSpanned('2026-01-15', '2026-03-15')).toBe(3);
    expect(monthsSpanned('2026-01-01', '2026-01-01')).toBe(1);
    expect(monthsSpanned('2026-11-20', '2027-02-19')).toBe(3);
  });
});

describe('prepaidLimitBreach', () => {
  it('sums a pupil’s contracts: lessons and money added, months from the earliest start to the latest end', () => {
    const first = { lessons: 30, totalFen: 300_000, startDate: '2026-01-15', endDate: '2026-02-14' };
    const second = { lessons: 20, totalFen: 200_000, startDate: '2026-03-01', endDate: '2026-04-14' };
    expect(prepaidLimitBreach([first, second], DEFAULT_POLICY)).toBeNull();
    expect(prepaidLimitBreach([first, { ...second, lessons: 31 }], DEFAULT_POLICY)).toEqual({ limit: 'maxPrepaidLessons', allowed: 60, requested: 61 });
    expect(prepaidLimitBreach([first, { ...second, endDate: '2026-04-15' }], DEFAULT_POLICY)).toEqual({ limit: 'maxPrepaidMonths', allowed: 3, requested: 4 });
    expect(prepaidLimitBreach([first, { ...second, totalFen: 200_001 }], DEFAULT_POLICY)).toEqual({
      limit: 'maxPrepaidAmountFen',
      allowed: 500_000,
      requested: 500_001,
    });
  });

  const within = { lessons: 60, totalFen: 500_000, startDate: '2026-01-15', endDate: '2026-04-14' };

  it('is null within every limit, the limits themselves included', () => {
    expect(prepaidLimitBreach([within], DEFAULT_POLICY)).toBeNull();
  });

  it('names the first limit gone beyond, lessons before months before amount', () => {
    expect(prepaidLimitBreach([{ ...within, lessons: 61, endDate: '2026-05-14', totalFen: 600_000 }], DEFAULT_POLICY)).toEqual({
      limit: 'maxPrepaidLessons',
      allowed: 60,
      requested: 61,
    });
    expect(prepaidLimitBreach([{ ...within, endDate: '2026-04-15', totalFen: 600_000 }], DEFAULT_POLICY)).toEqual({
      limit: 'maxPrepaidMonths',
      allowed: 3,
      requested: 4,
    });
    expect(prepaidLimitBreach([{ ...within, totalFen: 500_001 }], DEFAULT_POLICY)).toEqual({
      limit: 'maxPrepaidAmountFen',
      allowed: 500_000,
      requested: 500_001,
    });
  });
});
