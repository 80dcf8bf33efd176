import { RiskRule } from '../risk-rule';

export const prepaidOverLimit: RiskRule = {
  code: 'PREPAID_OVER_LIMIT',
  description: 'Active contracts hold more prepaid lessons, months or money than the district allows.',
  evaluate: (facts) => (facts.contractsOverPrepaidLimit > 0 ? { severity: 'yellow', evidence: { contracts: facts.contractsOverPrepaidLimit } } : null),
};
