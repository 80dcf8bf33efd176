import type { RiskThresholds } from '@app/registry';

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
  unqualifiedSubjectTeachers: number;
  /** Lessons of the last 30 days that break the current hour or rest-day rules. */
  lessonsBreakingTimeRules30d: number;
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
  evaluate(facts: RiskFacts, thresholds: RiskThresholds): RiskFinding | null;
}

export function levelOf(severities: Severity[]): RiskLevel {
  if (severities.includes('red')) return 'red';
  return severities.length ? 'yellow' : 'green';
}
