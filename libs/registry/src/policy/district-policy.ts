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

/** The rules in force in a district, or a city's (docs/domain.md, “District policy”). Money in fen; the retention rate in basis points internally. */
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

/**
 * A city's or a district's own policy (docs/domain.md, "District policy"): a field is null, a risk
 * threshold absent, where it inherits: a district from its city, a city from DEFAULT_POLICY.
 */
export type OwnPolicy = { [K in Exclude<keyof DistrictPolicy, 'riskThresholds'>]: DistrictPolicy[K] | null } & { riskThresholds: Partial<RiskThresholds> };

/** A change of an own policy: a field left out stays as it was, null inherits, a value overrides. */
export type PolicyChange = Partial<Omit<OwnPolicy, 'riskThresholds'>> & {
  riskThresholds?: { [K in keyof RiskThresholds]?: RiskThresholds[K] | null } | null;
};

/** The fields of a policy besides the risk thresholds (which inherit one by one). */
export const POLICY_FIELDS = (Object.keys(DEFAULT_POLICY) as Array<keyof DistrictPolicy>).filter(
  (field): field is Exclude<keyof DistrictPolicy, 'riskThresholds'> => field !== 'riskThresholds',
);
export const RISK_THRESHOLD_FIELDS = Object.keys(DEFAULT_RISK_THRESHOLDS) as Array<keyof RiskThresholds>;

/** An own policy that sets nothing: everything inherited. */
export const INHERIT_ALL: OwnPolicy = {
  ...(Object.fromEntries(POLICY_FIELDS.map((field) => [field, null])) as Omit<OwnPolicy, 'riskThresholds'>),
  riskThresholds: {},
};

/** The policy in force: `own`'s values where it sets them, `inherited`'s elsewhere (field by field, each risk threshold on its own). */
export function mergePolicy(inherited: DistrictPolicy, own: OwnPolicy): DistrictPolicy {
  const merged = { ...inherited, riskThresholds: { ...inherited.riskThresholds } };
  for (const field of POLICY_FIELDS) {
    if (own[field] !== null) Object.assign(merged, { [field]: own[field] });
  }
  for (const field of RISK_THRESHOLD_FIELDS) {
    const value = own.riskThresholds[field];
    if (value !== undefined && value !== null) merged.riskThresholds[field] = value;
  }
  return merged;
}

/** `own` after a change: fields left out of the change unchanged, null ones inherited again, the others overridden. */
export function applyPolicyChange(own: OwnPolicy, change: PolicyChange): OwnPolicy {
  const changed: OwnPolicy = { ...own, riskThresholds: { ...own.riskThresholds } };
  for (const field of POLICY_FIELDS) {
    const value = change[field];
    if (value !== undefined) Object.assign(changed, { [field]: value });
  }
  if (change.riskThresholds === null) changed.riskThresholds = {};
  for (const field of RISK_THRESHOLD_FIELDS) {
    const value = change.riskThresholds?.[field];
    if (value === null) delete changed.riskThresholds[field];
    else if (value !== undefined) changed.riskThresholds[field] = value;
  }
  return changed;
}

/** The fields `own` sets, in the order of DistrictPolicy; a risk threshold as `riskThresholds.<name>`. */
export function overriddenFields(own: OwnPolicy): string[] {
  return [
    ...POLICY_FIELDS.filter((field) => own[field] !== null),
    ...RISK_THRESHOLD_FIELDS.filter((field) => own.riskThresholds[field] !== undefined && own.riskThresholds[field] !== null).map(
      (field) => `riskThresholds.${field}`,
    ),
  ];
}

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
