import { RiskRule } from '../risk-rule';

export const unqualifiedSubjectTeacher: RiskRule = {
  code: 'UNQUALIFIED_SUBJECT_TEACHER',
  description: 'A subject-training institution has teachers without a teacher qualification certificate.',
  evaluate: (facts) =>
    facts.category === 'subject' && facts.unqualifiedSubjectTeachers > 0 ? { severity: 'red', evidence: { teachers: facts.unqualifiedSubjectTeachers } } : null,
};
