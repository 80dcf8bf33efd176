import type { DistrictPolicy } from '@app/registry';
import { TuitionErrors } from '../tuition.errors';

/** Months a prepaid contract spans, counting a started month as whole (01-15 → 03-14 is 2, → 03-15 is 3). */
export function monthsSpanned(startDate: string, endDate: string): number {
  const [sy, sm, sd] = startDate.split('-').map(Number);
  const [ey, em, ed] = endDate.split('-').map(Number);
  const whole = (ey - sy) * 12 + (em - sm) - (ed < sd ? 1 : 0);
  return whole + 1;
}

/** What one contract prepays: lessons, money and the dates it runs between. */
export interface Prepaid {
  lessons: number;
  totalFen: number;
  startDate: string;
  endDate: string;
}

/**
 * The prepaid limits of DESIGN §4 held per pupil (parent + student name) at one institution, over all
 * open contracts (DESIGN §9): lessons and money summed, months from the earliest start to the latest
 * end. Throws 422 POLICY.PREPAID_LIMIT naming the first limit passed.
 */
export function assertWithinPrepaidLimits(
  policy: Pick<DistrictPolicy, 'maxPrepaidLessons' | 'maxPrepaidMonths' | 'maxPrepaidAmountFen'>,
  contracts: Prepaid[],
): void {
  const lessons = contracts.reduce((sum, contract) => sum + contract.lessons, 0);
  if (lessons > policy.maxPrepaidLessons) {
    throw TuitionErrors.prepaidLimit(
      'maxPrepaidLessons',
      `The district allows at most ${policy.maxPrepaidLessons} prepaid lessons per pupil.`,
      policy.maxPrepaidLessons,
      lessons,
    );
  }
  const start = contracts.map((contract) => contract.startDate).sort()[0];
  const end = contracts.map((contract) => contract.endDate).sort()[contracts.length - 1];
  const months = monthsSpanned(start, end);
  if (months > policy.maxPrepaidMonths) {
    throw TuitionErrors.prepaidLimit(
      'maxPrepaidMonths',
      `The district allows prepaying at most ${policy.maxPrepaidMonths} months per pupil.`,
      policy.maxPrepaidMonths,
      months,
    );
  }
  const totalFen = contracts.reduce((sum, contract) => sum + contract.totalFen, 0);
  if (totalFen > policy.maxPrepaidAmountFen) {
    throw TuitionErrors.prepaidLimit(
      'maxPrepaidAmountFen',
      `The district allows prepaying at most ${policy.maxPrepaidAmountFen} fen per pupil.`,
      policy.maxPrepaidAmountFen,
      totalFen,
    );
  }
}
