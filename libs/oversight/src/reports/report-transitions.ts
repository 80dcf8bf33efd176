import { TransitionTable } from '@app/core';

export const REPORT_STATUSES = ['filed', 'accepted', 'returned', 'overdue'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
/** A report that does not exist yet: where filing and the overdue sweep start from. */
export type ReportState = ReportStatus | 'absent';

export type ReportAction = 'file' | 'accept' | 'return' | 'mark_overdue';

/**
 * docs/domain.md, “Risk and reports”: an institution files (or files again, replacing a filed, returned or overdue report) until
 * a regulator accepts it; a regulator accepts or returns a filed report; after the due day the sweep
 * marks a missing report overdue. Accepted is final.
 */
export const REPORT_TRANSITIONS: TransitionTable<ReportState, ReportAction> = {
  file: { from: ['absent', 'filed', 'returned', 'overdue'], to: 'filed', by: ['institution'] },
  accept: { from: ['filed'], to: 'accepted', by: ['regulator'] },
  return: { from: ['filed'], to: 'returned', by: ['regulator'] },
  mark_overdue: { from: ['absent'], to: 'overdue', by: ['system'] },
};
