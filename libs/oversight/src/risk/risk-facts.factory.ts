import { RiskFacts } from './risk-rule';

/** Facts of a healthy licensed institution; a test overrides what its rule looks at. */
export function newRiskFacts(overrides: Partial<RiskFacts> = {}): RiskFacts {
  return {
    institutionId: '00000000-0000-4000-8000-000000000001',
    districtCode: '430104',
    category: 'subject',
    status: 'licensed',
    today: '2026-11-29',
    licenceValidUntil: '2028-11-28',
    contractsOverPrepaidLimit: 0,
    custodyLedgerFen: 500_000,
    custodyBankFen: 500_000,
    prepaidLast7DaysFen: 200_000,
    prepaidPrevious8WeeksFen: 1_600_000,
    refundRequests30d: 0,
    complaints30d: 0,
    overdueReports: 0,
    escrowHeldFen: 300_000,
    lastLessonDate: '2026-11-27',
    earliestActiveContractStart: '2026-09-01',
    unqualifiedSubjectTeachers: 0,
    teachersNeverChecked: 0,
    oldestBackgroundCheck: '2026-06-01',
    lessonsBreakingTimeRules30d: 0,
    ...overrides,
  };
}
