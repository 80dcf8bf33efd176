import { addDays } from '@app/core/calendar/shanghai-time';
import { RiskRule } from '../risk-rule';

export const licenceValidity: RiskRule = {
  code: 'LICENCE_EXPIRY',
  description: 'The licence has expired (red) or expires within the threshold (yellow).',
  evaluate: (facts, thresholds) => {
    if (facts.status === 'expired') return { severity: 'red', evidence: { status: facts.status, validUntil: facts.licenceValidUntil } };
    if (facts.status === 'licensed' && facts.licenceValidUntil && facts.licenceValidUntil <= addDays(facts.today, thresholds.expiringDays)) {
      return { severity: 'yellow', evidence: { validUntil: facts.licenceValidUntil, withinDays: thresholds.expiringDays } };
    }
    return null;
  },
};
