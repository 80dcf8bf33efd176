import { TransitionTable } from '@app/core';

export const COMPLAINT_STATUSES = ['open', 'in_progress', 'verified', 'resolved', 'dismissed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** A regulator moves a complaint to a status, named by the status it leads to (the API's `to`). */
export type ComplaintAction = Exclude<ComplaintStatus, 'open'>;

/** Statuses in which the complaint still awaits the regulator's decision (its handling deadline runs). */
export const UNHANDLED_COMPLAINT_STATUSES: readonly ComplaintStatus[] = ['open', 'in_progress'];

/**
 * docs/domain.md, “Complaints”: open → in_progress → resolved | dismissed, by the district's regulators.
 * A regulator who has checked a complaint and found it true marks it `verified` (from open or in
 * progress); a verified complaint counts in the risk rules even when resolved later, unless dismissed.
 */
export const COMPLAINT_TRANSITIONS: TransitionTable<ComplaintStatus, ComplaintAction> = {
  in_progress: { from: ['open'], to: 'in_progress', by: ['regulator'] },
  verified: { from: ['open', 'in_progress'], to: 'verified', by: ['regulator'] },
  resolved: { from: ['in_progress', 'verified'], to: 'resolved', by: ['regulator'] },
  dismissed: { from: ['in_progress', 'verified'], to: 'dismissed', by: ['regulator'] },
};
