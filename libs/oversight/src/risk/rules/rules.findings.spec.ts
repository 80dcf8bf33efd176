import { DEFAULT_POLICY } from '@app/registry/policy/district-policy';
import { newRiskFacts } from '../risk-facts.factory';
import { RiskFacts, RiskRule, RuleThresholds, ruleThresholds } from '../risk-rule';
import { RISK_RULES } from './index';

/**
 * What each rule tells the regulator, exactly: its severity at each side of its thresholds and the
 * figures of its evidence (the alert shows them). rules.spec.ts checks that each rule fires and stays
 * quiet; these pin the boundaries and the arithmetic a regulator reads.
 */
const DEFAULT_RISK_THRESHOLDS = ruleThresholds(DEFAULT_POLICY);
const rule = (code: string): RiskRule => RISK_RULES.find((candidate) => candidate.code === code)!;
const evaluate = (code: string, overrides: Partial<RiskFacts>, thresholds: RuleThresholds = DEFAULT_RISK_THRESHOLDS) =>
  rule(code).evaluate(newRiskFacts(overrides), thresholds);

describe('risk rule findings', () => {
  it('describe themselves for the alert list', () => {
    for (const candidate of RISK_RULES) expect(candidate.description.length).toBeGreaterThan(20);
  });

  describe('ESCROW_SHORTFALL', () => {
    it('names the shortfall as the ledger minus the bank', () => {
      expect(evaluate('ESCROW_SHORTFALL', { custodyLedgerFen: 500_000, custodyBankFen: 420_000 })).toEqual({
        severity: 'red',
        evidence: { custodyLedgerFen: 500_000, custodyBankFen: 420_000, shortfallFen: 80_000 },
      });
    });

    it('is quiet when the bank holds as much or more, or has sent no statement', () => {
      expect(evaluate('ESCROW_SHORTFALL', { custodyLedgerFen: 500_000, custodyBankFen: 500_000 })).toBeNull();
      expect(evaluate('ESCROW_SHORTFALL', { custodyLedgerFen: 500_000, custodyBankFen: 600_000 })).toBeNull();
      expect(evaluate('ESCROW_SHORTFALL', { custodyLedgerFen: 500_000, custodyBankFen: null })).toBeNull();
    });
  });

  describe('STALLED_CONSUMPTION', () => {
    it('fires when money is held and the last lesson is older than the threshold, or there was none', () => {
      expect(evaluate('STALLED_CONSUMPTION', { today: '2026-11-29', escrowHeldFen: 300_000, lastLessonDate: '2026-10-29' })).toEqual({
        severity: 'yellow',
        evidence: { escrowHeldFen: 300_000, lastLessonDate: '2026-10-29', countedFrom: '2026-10-29', days: 30 },
      });
      expect(evaluate('STALLED_CONSUMPTION', { escrowHeldFen: 1, lastLessonDate: null })).toMatchObject({ severity: 'yellow' });
    });

    it('counts from the contract’s start when there was no lesson: paid today is not stalled, started longer ago than the threshold is', () => {
      const noLesson = { today: '2026-11-29', escrowHeldFen: 300_000, lastLessonDate: null };
      expect(evaluate('STALLED_CONSUMPTION', { ...noLesson, earliestActiveContractStart: '2026-11-29' })).toBeNull();
      expect(evaluate('STALLED_CONSUMPTION', { ...noLesson, earliestActiveContractStart: '2026-12-05' })).toBeNull();
      expect(evaluate('STALLED_CONSUMPTION', { ...noLesson, earliestActiveContractStart: '2026-10-30' })).toBeNull();
      expect(evaluate('STALLED_CONSUMPTION', { ...noLesson, earliestActiveContractStart: '2026-10-29' })).toEqual({
        severity: 'yellow',
        evidence: { escrowHeldFen: 300_000, lastLessonDate: null, countedFrom: '2026-10-29', days: 30 },
      });
    });

    it('counts from the later of the last lesson and the earliest active contract’s start', () => {
      expect(evaluate('STALLED_CONSUMPTION', { today: '2026-11-29', lastLessonDate: '2026-08-01', earliestActiveContractStart: '2026-11-20' })).toBeNull();
      expect(evaluate('STALLED_CONSUMPTION', { today: '2026-11-29', lastLessonDate: '2026-10-01', earliestActiveContractStart: '2026-09-01' })).toMatchObject({
        evidence: { countedFrom: '2026-10-01' },
      });
    });

    it('is quiet with no money held, however old the last lesson', () => {
      expect(evaluate('STALLED_CONSUMPTION', { escrowHeldFen: 0, lastLessonDate: null })).toBeNull();
      expect(evaluate('STALLED_CONSUMPTION', { escrowHeldFen: 0, lastLessonDate: '2025-01-01' })).toBeNull();
    });

    it('counts its days from the policy: 30 days back is still in time, 31 is not', () => {
      expect(evaluate('STALLED_CONSUMPTION', { today: '2026-11-29', lastLessonDate: '2026-10-30' })).toBeNull();
      const shorter = { ...DEFAULT_RISK_THRESHOLDS, stalledDays: 10 };
      expect(evaluate('STALLED_CONSUMPTION', { today: '2026-11-29', lastLessonDate: '2026-11-19' }, shorter)).toBeNull();
      expect(evaluate('STALLED_CONSUMPTION', { today: '2026-11-29', lastLessonDate: '2026-11-18' }, shorter)).toMatchObject({ evidence: { days: 10 } });
    });
  });

  describe('LICENCE_EXPIRY', () => {
    it('is red for an expired licence, with its end date', () => {
      expect(evaluate('LICENCE_EXPIRY', { status: 'expired', licenceValidUntil: '2026-11-28' })).toEqual({
        severity: 'red',
        evidence: { status: 'expired', validUntil: '2026-11-28' },
      });
    });

    it('is yellow for a licensed institution within the threshold, the last day included', () => {
      expect(evaluate('LICENCE_EXPIRY', { today: '2026-11-29', licenceValidUntil: '2026-12-29' })).toEqual({
        severity: 'yellow',
        evidence: { validUntil: '2026-12-29', withinDays: 30 },
      });
      expect(evaluate('LICENCE_EXPIRY', { today: '2026-11-29', licenceValidUntil: '2026-12-30' })).toBeNull();
    });

    it('says nothing of expiry for a licence not in force or without an end date', () => {
      expect(evaluate('LICENCE_EXPIRY', { status: 'suspended', licenceValidUntil: '2026-12-01' })).toBeNull();
      expect(evaluate('LICENCE_EXPIRY', { status: 'licensed', licenceValidUntil: null })).toBeNull();
    });
  });

  describe.each([
    ['COMPLAINTS_30D', 'complaints30d'],
    ['REFUND_SURGE', 'refundRequests30d'],
  ] as const)('%s', (code, field) => {
    it('is yellow from the threshold up to twice it, red from twice it, quiet below it', () => {
      expect(evaluate(code, { [field]: 2 })).toBeNull();
      expect(evaluate(code, { [field]: 3 })).toEqual({ severity: 'yellow', evidence: { [field]: 3, threshold: 3 } });
      expect(evaluate(code, { [field]: 5 })).toMatchObject({ severity: 'yellow' });
      expect(evaluate(code, { [field]: 6 })).toEqual({ severity: 'red', evidence: { [field]: 6, threshold: 3 } });
    });
  });

  describe('ENROLLMENT_SPIKE', () => {
    it('compares last week with the factor times the weekly average of the eight before, strictly', () => {
      // Eight weeks of 3,200,000 is 400,000 a week; three times that is 1,200,000.
      expect(evaluate('ENROLLMENT_SPIKE', { prepaidLast7DaysFen: 1_200_001, prepaidPrevious8WeeksFen: 3_200_000 })).toEqual({
        severity: 'yellow',
        evidence: { last7DaysFen: 1_200_001, weeklyAverageFen: 400_000, factor: 3 },
      });
      expect(evaluate('ENROLLMENT_SPIKE', { prepaidLast7DaysFen: 1_200_000, prepaidPrevious8WeeksFen: 3_200_000 })).toBeNull();
      expect(
        evaluate(
          'ENROLLMENT_SPIKE',
          { prepaidLast7DaysFen: 1_200_001, prepaidPrevious8WeeksFen: 3_200_000 },
          { ...DEFAULT_RISK_THRESHOLDS, enrollmentSpikeFactor: 4 },
        ),
      ).toBeNull();
    });

    it('calls a first week a spike from ¥10,000 exactly', () => {
      expect(evaluate('ENROLLMENT_SPIKE', { prepaidLast7DaysFen: 1_000_000, prepaidPrevious8WeeksFen: 0 })).toMatchObject({ severity: 'yellow' });
      expect(evaluate('ENROLLMENT_SPIKE', { prepaidLast7DaysFen: 999_999, prepaidPrevious8WeeksFen: 0 })).toBeNull();
    });

    it('rounds the weekly average down to the fen', () => {
      expect(evaluate('ENROLLMENT_SPIKE', { prepaidLast7DaysFen: 5_000_000, prepaidPrevious8WeeksFen: 15 })).toMatchObject({
        evidence: { weeklyAverageFen: 1 },
      });
    });
  });

  describe.each([
    ['PREPAID_OVER_LIMIT', 'contractsOverPrepaidLimit', 'contracts', 'yellow'],
    ['OVERDUE_REPORT', 'overdueReports', 'overdueReports', 'yellow'],
    ['LESSONS_OUTSIDE_ALLOWED_TIME', 'lessonsBreakingTimeRules30d', 'lessons', 'yellow'],
    ['UNQUALIFIED_SUBJECT_TEACHER', 'unqualifiedSubjectTeachers', 'teachers', 'red'],
  ] as const)('%s', (code, field, evidenceField, severity) => {
    it('fires from the first one, with the count as evidence', () => {
      expect(evaluate(code, { [field]: 1 })).toEqual({ severity, evidence: { [evidenceField]: 1 } });
      expect(evaluate(code, { [field]: 4 })).toEqual({ severity, evidence: { [evidenceField]: 4 } });
      expect(evaluate(code, { [field]: 0 })).toBeNull();
    });
  });

  describe('STAFF_UNCHECKED', () => {
    it('lets a check lapse on the same day of the month, early in a month too (two-digit days compare as dates)', () => {
      const twelveMonths = { ...DEFAULT_RISK_THRESHOLDS, backgroundCheckMonths: 12 };
      expect(rule('STAFF_UNCHECKED').evaluate(newRiskFacts({ today: '2026-03-05', oldestBackgroundCheck: '2025-03-05' }), twelveMonths)).toMatchObject({
        severity: 'yellow',
        evidence: { oldestBackgroundCheck: '2025-03-05', months: 12 },
      });
      expect(rule('STAFF_UNCHECKED').evaluate(newRiskFacts({ today: '2026-03-05', oldestBackgroundCheck: '2025-03-06' }), twelveMonths)).toBeNull();
    });
  });
});
