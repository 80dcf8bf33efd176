import { RiskRule } from '../risk-rule';

export const complaints: RiskRule = {
  code: 'COMPLAINTS_30D',
  description: 'Complaints filed in the last 30 days.',
  evaluate: (facts, thresholds) => {
    if (facts.complaints30d < thresholds.complaints30d) return null;
    return {
      severity: facts.complaints30d >= thresholds.complaints30d * 2 ? 'red' : 'yellow',
      evidence: { complaints30d: facts.complaints30d, threshold: thresholds.complaints30d },
    };
  },
};
