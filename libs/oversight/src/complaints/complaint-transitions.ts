import { TransitionTable } from '@app/core';

export const COMPLAINT_STATUSES = ['open', 'in_progress', 'resolved', 'dismissed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** A regulator moves a complaint to a status, named by the status it leads to (the API's `to`). */
export type ComplaintAction = Exclude<ComplaintStatus, 'open'>;

/** docs/domain.md, “Complaints”: open → in_progress → resolved | dismissed, by the district's regulators, nothing else. */
export const COMPLAINT_TRANSITIONS: TransitionTable<ComplaintStatus, ComplaintAction> = {
  in_progress: { from: ['open'], to: 'in_progress', by: ['regulator'] },
  resolved: { from: ['in_progress'], to: 'resolved', by: ['regulator'] },
  dismissed: { from: ['in_progress'], to: 'dismissed', by: ['regulator'] },
};
