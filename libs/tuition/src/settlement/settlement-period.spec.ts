import { cycleDueOn, retainedPart, settlementPeriod } from './settlement-period';

describe('settlementPeriod', () => {
  it('names days, ISO weeks and months', () => {
    expect(settlementPeriod('daily', '2026-11-29')).toBe('D2026-11-29');
    expect(settlementPeriod('monthly', '2026-11-29')).toBe('M2026-11');
    expect(settlementPeriod('weekly', '2026-11-29')).toBe('W2026-48'); // a Sunday ends ISO week 48
    expect(settlementPeriod('weekly', '2026-11-30')).toBe('W2026-49');
  });

  it('puts the first days of January in the ISO week of the year they belong to', () => {
    expect(settlementPeriod('weekly', '2027-01-01')).toBe('W2026-53');
    expect(settlementPeriod('weekly', '2026-01-01')).toBe('W2026-01');
  });
});

describe('cycleDueOn', () => {
  it('settles daily every day, weekly on Mondays and monthly on the first', () => {
    expect(cycleDueOn('daily', '2026-11-29')).toBe(true);
    expect(cycleDueOn('weekly', '2026-11-30')).toBe(true);
    expect(cycleDueOn('weekly', '2026-11-29')).toBe(false);
    expect(cycleDueOn('monthly', '2026-12-01')).toBe(true);
    expect(cycleDueOn('monthly', '2026-11-30')).toBe(false);
  });
});

describe('retainedPart', () => {
  it('retains the rate of the payable balance in whole fen, rounding down', () => {
    expect(retainedPart(10_000, 2000)).toBe(2000);
    expect(retainedPart(10_001, 2000)).toBe(2000);
    expect(retainedPart(4, 2500)).toBe(1);
    expect(retainedPart(3, 2500)).toBe(0);
    expect(retainedPart(12_345, 0)).toBe(0);
    expect(retainedPart(12_345, 10_000)).toBe(12_345);
  });
});
