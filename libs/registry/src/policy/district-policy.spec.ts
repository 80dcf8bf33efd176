import {
  DEFAULT_POLICY,
  DEFAULT_RISK_THRESHOLDS,
  INHERIT_ALL,
  applyPolicyChange,
  exceedsGuidedPrice,
  highestGuidedPrice,
  mergePolicy,
  overriddenFields,
} from './district-policy';

describe('guided price of the standard lesson, prorated in integers', () => {
  const offline = (priceFen: number, minutes: number) => ({ priceFen, minutes, delivery: 'offline' as const });

  it('allows the prorated cap plus the margin exactly, and not one fen more', () => {
    // 9000 per 45 minutes, 10%: 30 minutes → 6600; 40 minutes → 8800 (no float rounding at the edge).
    expect(exceedsGuidedPrice(offline(6600, 30), 9000, 1000)).toBe(false);
    expect(exceedsGuidedPrice(offline(6601, 30), 9000, 1000)).toBe(true);
    expect(exceedsGuidedPrice(offline(8800, 40), 9000, 1000)).toBe(false);
    expect(exceedsGuidedPrice(offline(8801, 40), 9000, 1000)).toBe(true);
    expect(highestGuidedPrice({ minutes: 40, delivery: 'offline' }, 9000, 1000)).toBe(8800);
  });

  it('prorates online lessons from 30 minutes, and rounds the highest price down', () => {
    expect(exceedsGuidedPrice({ priceFen: 6600, minutes: 20, delivery: 'online' }, 9000, 1000)).toBe(false);
    expect(exceedsGuidedPrice({ priceFen: 6601, minutes: 20, delivery: 'online' }, 9000, 1000)).toBe(true);
    expect(highestGuidedPrice({ minutes: 25, delivery: 'offline' }, 1000, 0)).toBe(555);
    expect(exceedsGuidedPrice(offline(556, 25), 1000, 0)).toBe(true);
    expect(exceedsGuidedPrice(offline(555, 25), 1000, 0)).toBe(false);
  });

  it('has no cap where the district set no guided price', () => {
    expect(exceedsGuidedPrice(offline(1_000_000, 45), undefined, 0)).toBe(false);
  });
});

describe('city-wide policy inherited field by field (docs/domain.md, "District policy")', () => {
  const city = mergePolicy(DEFAULT_POLICY, { ...INHERIT_ALL, maxPrepaidLessons: 40, guidedPrices: { '<10': 9000 }, riskThresholds: { stalledDays: 45 } });

  it('takes every field the district leaves null from the city, each risk threshold on its own', () => {
    const district = mergePolicy(city, { ...INHERIT_ALL, settlementCycle: 'daily', riskThresholds: { complaints30d: 5 } });
    expect(district).toEqual({
      ...DEFAULT_POLICY,
      maxPrepaidLessons: 40,
      guidedPrices: { '<10': 9000 },
      settlementCycle: 'daily',
      riskThresholds: { ...DEFAULT_RISK_THRESHOLDS, stalledDays: 45, complaints30d: 5 },
    });
  });

  it('lets a district override with any value, false and 0 and an empty map included', () => {
    const open = mergePolicy({ ...city, subjectApprovalsOpen: true }, { ...INHERIT_ALL, subjectApprovalsOpen: false, retentionDays: 0, guidedPrices: {} });
    expect(open).toMatchObject({ subjectApprovalsOpen: false, retentionDays: 0, guidedPrices: {} });
  });

  it('changes only the fields sent: null inherits again, a value overrides, a field left out stays', () => {
    const own = { ...INHERIT_ALL, maxPrepaidLessons: 30, reportDueDay: 20, riskThresholds: { stalledDays: 60, expiringDays: 10 } };
    const changed = applyPolicyChange(own, { maxPrepaidLessons: null, subjectApprovalsOpen: true, riskThresholds: { stalledDays: null, complaints30d: 4 } });
    expect(changed).toEqual({
      ...INHERIT_ALL,
      reportDueDay: 20,
      subjectApprovalsOpen: true,
      riskThresholds: { expiringDays: 10, complaints30d: 4 },
    });
    expect(overriddenFields(changed)).toEqual(['reportDueDay', 'subjectApprovalsOpen', 'riskThresholds.complaints30d', 'riskThresholds.expiringDays']);
    expect(mergePolicy(city, changed)).toMatchObject({ maxPrepaidLessons: 40, reportDueDay: 20, riskThresholds: { stalledDays: 45, expiringDays: 10 } });
    expect(applyPolicyChange(changed, { riskThresholds: null }).riskThresholds).toEqual({});
    // The own policy it started from is left as it was.
    expect(own.maxPrepaidLessons).toBe(30);
  });

  it('inherits everything from an own policy that sets nothing', () => {
    expect(mergePolicy(city, INHERIT_ALL)).toEqual(city);
    expect(overriddenFields(INHERIT_ALL)).toEqual([]);
  });
});
