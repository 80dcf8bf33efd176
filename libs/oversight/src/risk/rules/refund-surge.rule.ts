import { RiskRule } from '../risk-rule';

export const refundSurge: RiskRule = {
  code: 'REFUND_SURGE',
  description: 'Many refund requests in 30 days.',
  evaluate: (facts, thresholds) => {
    if (facts.refundRequests30d < thresholds.refundRequests30d) return null;
    return {
      severity: facts.refundRequests30d >= thresholds.refundRequests30d * 2 ? 'red' : 'yellow',
      evidence: { refundRequests30d: facts.refundRequests30d, threshold: thresholds.refundRequests30d },
    };
  },
};
