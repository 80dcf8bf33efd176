import type { SizeBand } from '../catalogue/courses.repository';

export type SettlementCycle = 'daily' | 'weekly' | 'monthly';

/** Thresholds of the risk rules (docs/domain.md, “Risk and reports”), per district like the rest of the policy. */
export interface RiskThresholds {
  /** Complaints in 30 days that flag yellow; twice as many flag red. */
  complaints30d: number;
  /** Refund requests in 30 days that flag a surge (yellow); twice as many, red. */
  refundRequests30d: number;
  /** New prepaid money in 7 days above this multiple of the 8-week weekly average. */
  enrollmentSpikeFactor: number;
  /** Days without a lesson while money is held in escrow. */
  stalledDays: number;
  /** Days before the end of validity from which a licence counts as expiring. */
  expiringDays: number;
}

export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = { complaints30d: 3, refundRequests30d: 3, enrollmentSpikeFactor: 3, stalledDays: 30, expiringDays: 30 };

/** A district's rules (docs/domain.md, “District policy”). Money in fen; the retention rate in basis points internally. */
export interface DistrictPolicy {
  maxPrepaidLessons: number;
  maxPrepaidMonths: number;
  maxPrepaidAmountFen: number;
  confirmWindowWorkingDays: number;
  refundResponseWorkingDays: number;
  settlementCycle: SettlementCycle;
  /** 2000 = 20%: kept as an integer so money arithmetic never touches a float. */
  retentionRateBp: number;
  retentionDays: number;
  guidedPrices: Partial<Record<SizeBand, number>>;
  reportDueDay: number;
  latestOfflineEnd: string;
  latestOnlineEnd: string;
  riskThresholds: RiskThresholds;
}

export const DEFAULT_POLICY: DistrictPolicy = {
  maxPrepaidLessons: 60,
  maxPrepaidMonths: 3,
  maxPrepaidAmountFen: 500_000,
  confirmWindowWorkingDays: 7,
  refundResponseWorkingDays: 5,
  settlementCycle: 'weekly',
  retentionRateBp: 2000,
  retentionDays: 90,
  guidedPrices: {},
  reportDueDay: 10,
  latestOfflineEnd: '20:30',
  latestOnlineEnd: '21:00',
  riskThresholds: DEFAULT_RISK_THRESHOLDS,
};

/** A guided price may be exceeded by at most 10% (integer arithmetic: price × 100 ≤ cap × 110). */
export function exceedsGuidedPrice(priceFen: number, capFen: number | undefined): boolean {
  return capFen !== undefined && priceFen * 100 > capFen * 110;
}
