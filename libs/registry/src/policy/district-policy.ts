import type { SizeBand } from '../catalogue/course.entity';

export type SettlementCycle = 'daily' | 'weekly' | 'monthly';

/** A district's rules (DESIGN §4). Money in fen; the retention rate in basis points internally. */
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
};

/** A guided price may be exceeded by at most 10% (integer arithmetic: price × 100 ≤ cap × 110). */
export function exceedsGuidedPrice(priceFen: number, capFen: number | undefined): boolean {
  return capFen !== undefined && priceFen * 100 > capFen * 110;
}
