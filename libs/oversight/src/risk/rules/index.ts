import { RiskRule } from '../risk-rule';
import { complaints } from './complaints.rule';
import { enrollmentSpike } from './enrollment-spike.rule';
import { escrowShortfall } from './escrow-shortfall.rule';
import { lessonTimeRules } from './lesson-time-rules.rule';
import { licenceValidity } from './licence-validity.rule';
import { overdueReport } from './overdue-report.rule';
import { prepaidOverLimit } from './prepaid-over-limit.rule';
import { refundSurge } from './refund-surge.rule';
import { stalledConsumption } from './stalled-consumption.rule';
import { staffUnchecked } from './staff-unchecked.rule';
import { unqualifiedSubjectTeacher } from './unqualified-teacher.rule';

/** Every rule the platform evaluates. Adding a rule is one file and one line here. */
export const RISK_RULES: readonly RiskRule[] = [
  prepaidOverLimit,
  escrowShortfall,
  enrollmentSpike,
  refundSurge,
  complaints,
  licenceValidity,
  overdueReport,
  stalledConsumption,
  unqualifiedSubjectTeacher,
  staffUnchecked,
  lessonTimeRules,
];
