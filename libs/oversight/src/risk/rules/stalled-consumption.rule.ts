import { addDays } from '@app/core/calendar/shanghai-time';
import { RiskRule } from '../risk-rule';

export const stalledConsumption: RiskRule = {
  code: 'STALLED_CONSUMPTION',
  description: 'Money is held in escrow but no lesson has been recorded for the threshold number of days.',
  evaluate: (facts, thresholds) => {
    const since = addDays(facts.today, -thresholds.stalledDays);
    const stalled = facts.escrowHeldFen > 0 && (facts.lastLessonDate === null || facts.lastLessonDate < since);
    return stalled
      ? { severity: 'yellow', evidence: { escrowHeldFen: facts.escrowHeldFen, lastLessonDate: facts.lastLessonDate, days: thresholds.stalledDays } }
      : null;
  },
};
