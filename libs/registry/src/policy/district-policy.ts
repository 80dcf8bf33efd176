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
  /** 双减: whether new subject-category licences are granted at all (closed unless the district opens them). */
  subjectApprovalsOpen: boolean;
  /** How far a lesson price may exceed the prorated guided price; 1000 = 10%, an integer like the retention rate. */
  guidedPriceMarginBp: number;
  /** Months after a teacher's background check (无犯罪记录查询) from which STAFF_UNCHECKED fires. */
  backgroundCheckMonths: number;
  /** Working days a complaint may wait for the regulator's handling before it is overdue. */
  complaintWorkingDays: number;
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
  subjectApprovalsOpen: false,
  guidedPriceMarginBp: 1000,
  backgroundCheckMonths: 12,
  complaintWorkingDays: 10,
};

/** The standard lesson a guided price is set for (docs/domain.md, "Courses and teachers"). */
export const STANDARD_LESSON_MINUTES = { offline: 45, online: 30 } as const;

/**
 * Whether a lesson price exceeds the guided price prorated to the lesson's length plus the margin:
 * allowed when price × standard ≤ cap × minutes × (10000 + margin) / 10000, compared by
 * cross-multiplication in integers so no float ever rounds a price.
 */
export function exceedsGuidedPrice(
  lesson: { priceFen: number; minutes: number; delivery: keyof typeof STANDARD_LESSON_MINUTES },
  capFen: number | undefined,
  marginBp: number,
): boolean {
  if (capFen === undefined) return false;
  return lesson.priceFen * STANDARD_LESSON_MINUTES[lesson.delivery] * 10_000 > capFen * lesson.minutes * (10_000 + marginBp);
}

/** The highest price allowed for the lesson (whole fen, rounded down): what a refusal tells the institution. */
export function highestGuidedPrice(lesson: { minutes: number; delivery: keyof typeof STANDARD_LESSON_MINUTES }, capFen: number, marginBp: number): number {
  return Math.floor((capFen * lesson.minutes * (10_000 + marginBp)) / (STANDARD_LESSON_MINUTES[lesson.delivery] * 10_000));
}
