import { RiskRule } from '../risk-rule';

export const overdueReport: RiskRule = {
  code: 'OVERDUE_REPORT',
  description: 'A monthly operating report is overdue.',
  evaluate: (facts) => (facts.overdueReports > 0 ? { severity: 'yellow', evidence: { overdueReports: facts.overdueReports } } : null),
};
