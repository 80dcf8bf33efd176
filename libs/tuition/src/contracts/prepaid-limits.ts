import type { DistrictPolicy } from '@app/registry';
import { TuitionErrors } from '../tuition.errors';

/** Months a prepaid contract spans, counting a started month as whole (01-15 → 03-14 is 2, → 03-15 is 3). */
export function monthsSpanned(startDate: string, endDate: string): number {
  const [sy, sm, sd] = startDate.split('-').map(Number);
  const [ey, em, ed] = endDate.split('-').map(Number);
  const whole = (ey - sy) * 12 + (em - sm) - (ed < sd ? 1 : 0);
  return whole + 1;
}

/** What a prepaid contract commits a parent to, as the district's limits measure it. */
export interface PrepaidTerms {
  lessons: number;
  totalFen: number;
  startDate: string;
  endDate: string;
}

export type PrepaidLimit = 'maxPrepaidLessons' | 'maxPrepaidMonths' | 'maxPrepaidAmountFen';
export type PrepaidPolicy = Pick<DistrictPolicy, PrepaidLimit>;

export interface PrepaidLimitBreach {
  limit: PrepaidLimit;
  allowed: number;
  requested: number;
}

/**
 * The first of the district's prepaid limits (docs/domain.md, “District policy”) that a pupil's open contracts at one
 * institution go beyond together (lessons and money summed, months from the earliest start to
 * the latest end), checked in the order a new contract is refused for them, or null within all three.
 * The same rule refuses a contract and, under today's policy, counts in the risk rule "prepaid over limit".
 */
export function prepaidLimitBreach(contracts: PrepaidTerms[], policy: PrepaidPolicy): PrepaidLimitBreach | null {
  const lessons = contracts.reduce((sum, contract) => sum + contract.lessons, 0);
  if (lessons > policy.maxPrepaidLessons) return { limit: 'maxPrepaidLessons', allowed: policy.maxPrepaidLessons, requested: lessons };
  const start = contracts.map((contract) => contract.startDate).sort()[0];
  const end = contracts.map((contract) => contract.endDate).sort()[contracts.length - 1];
  const months = monthsSpanned(start, end);
  if (months > policy.maxPrepaidMonths) return { limit: 'maxPrepaidMonths', allowed: policy.maxPrepaidMonths, requested: months };
  const totalFen = contracts.reduce((sum, contract) => sum + contract.totalFen, 0);
  if (totalFen > policy.maxPrepaidAmountFen) return { limit: 'maxPrepaidAmountFen', allowed: policy.maxPrepaidAmountFen, requested: totalFen };
  return null;
}

const LIMIT_WORDING: Record<PrepaidLimit, (allowed: number) => string> = {
  maxPrepaidLessons: (allowed) => `The district allows at most ${allowed} prepaid lessons per pupil.`,
  maxPrepaidMonths: (allowed) => `The district allows prepaying at most ${allowed} months per pupil.`,
  maxPrepaidAmountFen: (allowed) => `The district allows prepaying at most ${allowed} fen per pupil.`,
};

/** 422 POLICY.PREPAID_LIMIT naming the first limit the pupil's open contracts pass together. */
export function assertWithinPrepaidLimits(policy: PrepaidPolicy, contracts: PrepaidTerms[]): void {
  const breach = prepaidLimitBreach(contracts, policy);
  if (breach) throw TuitionErrors.prepaidLimit(breach.limit, LIMIT_WORDING[breach.limit](breach.allowed), breach.allowed, breach.requested);
}
