import { DEFAULT_POLICY } from '@app/registry/policy/district-policy';
import { newRiskFacts } from '../risk-facts.factory';
import { RiskFacts, RiskRule, levelOf, ruleThresholds } from '../risk-rule';

const DEFAULT_THRESHOLDS = ruleThresholds(DEFAULT_POLICY);
import { RISK_RULES } from './index';

const rule = (code: string): RiskRule => RISK_RULES.find((candidate) => candidate.code === code)!;
const evaluate = (code: string, overrides: Partial<RiskFacts>) => rule(code).evaluate(newRiskFacts(overrides), DEFAULT_THRESHOLDS);

describe('risk rules', () => {
  it('leave a healthy institution green', () => {
    expect(RISK_RULES.map((candidate) => candidate.evaluate(newRiskFacts(), DEFAULT_THRESHOLDS)).filter(Boolean)).toEqual([]);
  });

  it('have unique codes', () => {
    expect(new Set(RISK_RULES.map((candidate) => candidate.code)).size).toBe(RISK_RULES.length);
  });

  const cases: Array<[string, Partial<RiskFacts>, Partial<RiskFacts>, 'yellow' | 'red']> = [
    ['PREPAID_OVER_LIMIT', { contractsOverPrepaidLimit: 2 }, { contractsOverPrepaidLimit: 0 }, 'yellow'],
    ['ESCROW_SHORTFALL', { custodyBankFen: 499_999 }, { custodyBankFen: null }, 'red'],
    [
      'ENROLLMENT_SPIKE',
      { prepaidLast7DaysFen: 1_300_000, prepaidPrevious8WeeksFen: 3_200_000 },
      { prepaidLast7DaysFen: 1_200_000, prepaidPrevious8WeeksFen: 3_200_000 },
      'yellow',
    ],
    ['REFUND_SURGE', { refundRequests30d: 3 }, { refundRequests30d: 2 }, 'yellow'],
    ['COMPLAINTS_30D', { complaints30d: 3 }, { complaints30d: 2 }, 'yellow'],
    ['LICENCE_EXPIRY', { licenceValidUntil: '2026-12-29' }, { licenceValidUntil: '2026-12-30' }, 'yellow'],
    ['OVERDUE_REPORT', { overdueReports: 1 }, { overdueReports: 0 }, 'yellow'],
    ['STALLED_CONSUMPTION', { lastLessonDate: '2026-10-29' }, { lastLessonDate: '2026-10-30' }, 'yellow'],
    ['UNQUALIFIED_SUBJECT_TEACHER', { unqualifiedSubjectTeachers: 1 }, { unqualifiedSubjectTeachers: 1, category: 'non_subject' }, 'red'],
    ['STAFF_UNCHECKED', { oldestBackgroundCheck: '2025-11-29' }, { oldestBackgroundCheck: '2025-11-30' }, 'yellow'],
    ['LESSONS_OUTSIDE_ALLOWED_TIME', { lessonsBreakingTimeRules30d: 1 }, { lessonsBreakingTimeRules30d: 0 }, 'yellow'],
  ];

  describe.each(cases)('%s', (code, firing, quiet, severity) => {
    it(`fires (${severity}) with the evidence it saw`, () => {
      const finding = evaluate(code, firing);
      expect(finding).toMatchObject({ severity });
      expect(Object.keys(finding!.evidence).length).toBeGreaterThan(0);
    });

    it('stays quiet just short of its threshold', () => {
      expect(evaluate(code, quiet)).toBeNull();
    });
  });

  it('escalate to red at twice the complaint or refund threshold, and for an expired licence', () => {
    expect(evaluate('COMPLAINTS_30D', { complaints30d: 6 })).toMatchObject({ severity: 'red' });
    expect(evaluate('REFUND_SURGE', { refundRequests30d: 6 })).toMatchObject({ severity: 'red' });
    expect(evaluate('LICENCE_EXPIRY', { status: 'expired' })).toMatchObject({ severity: 'red' });
  });

  it('flag a teacher with no background check on file, and read the months from the district policy', () => {
    expect(evaluate('STAFF_UNCHECKED', { teachersNeverChecked: 1, oldestBackgroundCheck: null })).toMatchObject({
      severity: 'yellow',
      evidence: { neverChecked: 1 },
    });
    const sixMonths = { ...DEFAULT_THRESHOLDS, backgroundCheckMonths: 6 };
    expect(rule('STAFF_UNCHECKED').evaluate(newRiskFacts({ oldestBackgroundCheck: '2026-05-29' }), sixMonths)).toMatchObject({ severity: 'yellow' });
    expect(rule('STAFF_UNCHECKED').evaluate(newRiskFacts({ oldestBackgroundCheck: '2026-05-30' }), sixMonths)).toBeNull();
    // A check of 31 August lapses on the last day of February, not in March.
    expect(rule('STAFF_UNCHECKED').evaluate(newRiskFacts({ today: '2027-02-28', oldestBackgroundCheck: '2026-08-31' }), sixMonths)).not.toBeNull();
  });

  it('do not call a first week of sales a spike', () => {
    expect(evaluate('ENROLLMENT_SPIKE', { prepaidLast7DaysFen: 900_000, prepaidPrevious8WeeksFen: 0 })).toBeNull();
  });
});

describe('levelOf', () => {
  it('is red with any red flag, yellow with only yellow ones, green with none', () => {
    expect(levelOf(['yellow', 'red'])).toBe('red');
    expect(levelOf(['yellow'])).toBe('yellow');
    expect(levelOf([])).toBe('green');
  });
});
