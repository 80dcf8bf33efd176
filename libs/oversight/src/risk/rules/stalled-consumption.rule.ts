import { addDays } from '@app/core/calendar/shanghai-time';
import { RiskRule } from '../risk-rule';

/**
 * Money held in escrow with no lesson for `stalledDays` (docs/domain.md, "Risk and reports"). The days
 * count from the latest lesson, but never from before the earliest active contract started: a contract
 * paid today has had no time to stall, and one that started longer ago than the threshold without a
 * lesson has.
 */
export const stalledConsumption: RiskRule = {
  code: 'STALLED_CONSUMPTION',
  description: 'Money is held in escrow but no lesson has been recorded for the threshold number of days since the last lesson or the contract’s start.',
  evaluate: (facts, thresholds) => {
    if (facts.escrowHeldFen <= 0) return null;
    const since = addDays(facts.today, -thresholds.stalledDays);
    const countedFrom = [facts.lastLessonDate, facts.earliestActiveContractStart].reduce<string | null>(
      (latest, date) => (date !== null && (latest === null || date > latest) ? date : latest),
      null,
    );
    if (countedFrom !== null && countedFrom >= since) return null;
    return {
      severity: 'yellow',
      evidence: { escrowHeldFen: facts.escrowHeldFen, lastLessonDate: facts.lastLessonDate, countedFrom, days: thresholds.stalledDays },
    };
  },
};
