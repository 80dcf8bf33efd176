import type { DistrictPolicy, RiskThresholds } from '@app/registry';

export type Severity = 'yellow' | 'red';
export type RiskLevel = 'green' | Severity;

/** What the platform knows of one institution when it evaluates risk; gathered set-wise for many at once. */
export interface RiskFacts {
  institutionId: string;
  districtCode: string;
  category: 'subject' | 'non_subject';
  status: string;
  today: string;
  licenceValidUntil: string | null;
  /** Active contracts beyond the district's current prepaid limits (lessons, months or amount). */
  contractsOverPrepaidLimit: number;
  /** Custody per the ledger, and per the bank's statement lines (null when the bank has sent none). */
  custodyLedgerFen: number;
  custodyBankFen: number | null;
  prepaidLast7DaysFen: number;
  prepaidPrevious8WeeksFen: number;
  refundRequests30d: number;
  complaints30d: number;
  overdueReports: number;
  escrowHeldFen: number;
  /** Business date of the latest lesson, or null for none. */
  lastLessonDate: string | null;
  /** Start date of the earliest active (paid) contract, or null for none. */
  earliestActiveContractStart: string | null;
  unqualifiedSubjectTeachers: number;
  /** Teachers without a background check on file, and the oldest check on file (null when none is). */
  teachersNeverChecked: number;
  oldestBackgroundCheck: string | null;
  /** Lessons of the last 30 days that break the current hour or rest-day rules. */
  lessonsBreakingTimeRules30d: number;
}

/** What a rule may read of its district's policy: the risk thresholds, and how long a background check holds. */
export type RuleThresholds = RiskThresholds & Pick<DistrictPolicy, 'backgroundCheckMonths'>;

export function ruleThresholds(policy: Pick<DistrictPolicy, 'riskThresholds' | 'backgroundCheckMonths'>): RuleThresholds {
  return { ...policy.riskThresholds, backgroundCheckMonths: policy.backgroundCheckMonths };
}

export interface RiskFinding {
  severity: Severity;
  evidence: Record<string, unknown>;
}

/**
 * A risk rule: a small pure function of an institution's facts and its district's thresholds. It
 * answers a finding (severity and the evidence it saw) or null when its condition does not hold.
 */
export interface RiskRule {
  code: string;
  description: string;
  evaluate(facts: RiskFacts, thresholds: RuleThresholds): RiskFinding | null;
}

export function levelOf(severities: Severity[]): RiskLevel {
  if (severities.includes('red')) return 'red';
  return severities.length ? 'yellow' : 'green';
}
