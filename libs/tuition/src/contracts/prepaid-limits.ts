import type { DistrictPolicy } from '@app/registry';

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

export interface PrepaidLimitBreach {
  limit: PrepaidLimit;
  allowed: number;
  requested: number;
}

/**
 * The first of the district's prepaid limits (DESIGN §4) the terms go beyond, checked in the order a
 * new contract is refused for them (lessons, months, amount), or null within all three. The risk rule
 * "prepaid over limit" counts active contracts for which this is not null under today's policy.
 */
export function prepaidLimitBreach(
  terms: PrepaidTerms,
  policy: Pick<DistrictPolicy, 'maxPrepaidLessons' | 'maxPrepaidMonths' | 'maxPrepaidAmountFen'>,
): PrepaidLimitBreach | null {
  if (terms.lessons > policy.maxPrepaidLessons) return { limit: 'maxPrepaidLessons', allowed: policy.maxPrepaidLessons, requested: terms.lessons };
  const months = monthsSpanned(terms.startDate, terms.endDate);
  if (months > policy.maxPrepaidMonths) return { limit: 'maxPrepaidMonths', allowed: policy.maxPrepaidMonths, requested: months };
  if (terms.totalFen > policy.maxPrepaidAmountFen) return { limit: 'maxPrepaidAmountFen', allowed: policy.maxPrepaidAmountFen, requested: terms.totalFen };
  return null;
}
