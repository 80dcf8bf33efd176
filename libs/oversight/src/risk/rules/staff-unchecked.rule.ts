import { RiskRule } from '../risk-rule';

/** The day a check made on `date` lapses, `months` later (the 31st of a shorter month is its last day). */
function lapsesOn(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const lastDay = new Date(Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0)).getUTCDate();
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/**
 * Every teacher needs a no-criminal-record check (无犯罪记录查询) younger than the district's
 * `backgroundCheckMonths` (docs/domain.md, "Courses and teachers"): a teacher with none on file, or
 * whose oldest check has lapsed, flags the institution.
 */
export const staffUnchecked: RiskRule = {
  code: 'STAFF_UNCHECKED',
  description: 'A teacher has no background check on file, or one older than the district allows.',
  evaluate: (facts, thresholds) => {
    const lapsed = facts.oldestBackgroundCheck !== null && lapsesOn(facts.oldestBackgroundCheck, thresholds.backgroundCheckMonths) <= facts.today;
    if (!facts.teachersNeverChecked && !lapsed) return null;
    return {
      severity: 'yellow',
      evidence: { neverChecked: facts.teachersNeverChecked, oldestBackgroundCheck: facts.oldestBackgroundCheck, months: thresholds.backgroundCheckMonths },
    };
  },
};
