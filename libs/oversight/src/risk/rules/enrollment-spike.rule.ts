import { RiskRule } from '../risk-rule';

/** A floor so a new institution's first week is not a "spike" over an average of zero. */
const MINIMUM_SPIKE_FEN = 1_000_000;

export const enrollmentSpike: RiskRule = {
  code: 'ENROLLMENT_SPIKE',
  description: 'New prepaid money in 7 days is more than the threshold times the weekly average of the 8 weeks before.',
  evaluate: (facts, thresholds) => {
    // weekly average × factor < last week  ⇔  previous8Weeks × factor < last week × 8 (integers only)
    const spike =
      facts.prepaidLast7DaysFen >= MINIMUM_SPIKE_FEN && facts.prepaidPrevious8WeeksFen * thresholds.enrollmentSpikeFactor < facts.prepaidLast7DaysFen * 8;
    return spike
      ? {
          severity: 'yellow',
          evidence: {
            last7DaysFen: facts.prepaidLast7DaysFen,
            weeklyAverageFen: Math.floor(facts.prepaidPrevious8WeeksFen / 8),
            factor: thresholds.enrollmentSpikeFactor,
          },
        }
      : null;
  },
};
