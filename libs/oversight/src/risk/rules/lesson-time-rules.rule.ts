import { RiskRule } from '../risk-rule';

export const lessonTimeRules: RiskRule = {
  code: 'LESSONS_OUTSIDE_ALLOWED_TIME',
  description: 'Lessons in the last 30 days ended after the allowed hour or, for subject courses, fell on weekends or holidays.',
  evaluate: (facts) => (facts.lessonsBreakingTimeRules30d > 0 ? { severity: 'yellow', evidence: { lessons: facts.lessonsBreakingTimeRules30d } } : null),
};
