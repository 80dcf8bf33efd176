import { Actor, TransitionCheck, TransitionTable, checkTransition as check } from '@app/core';

export const INSTITUTION_STATUSES = [
  'draft',
  'submitted',
  'returned',
  'rejected',
  'licensed',
  'suspended',
  'enrolment_stopped',
  'revoked',
  'expired',
  'closed',
] as const;
export type InstitutionStatus = (typeof INSTITUTION_STATUSES)[number];

export type LicenceAction =
  | 'submit'
  | 'approve'
  | 'return'
  | 'reject'
  | 'suspend'
  | 'reinstate'
  | 'stop_enrolment'
  | 'resume_enrolment'
  | 'revoke'
  | 'expire'
  | 'renew'
  | 'apply_renewal'
  | 'grant_renewal'
  | 'refuse_renewal'
  | 'deem_renewal'
  | 'close';

export type { Actor };

/**
 * The licence life cycle of docs/domain.md, “Licences”, and nothing else: each action is allowed from exactly these
 * states, by exactly these actors. (Ownership and district scope are checked by the service.)
 */
export const LICENCE_TRANSITIONS: TransitionTable<InstitutionStatus, LicenceAction> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: ['institution'] },
  approve: { from: ['submitted'], to: 'licensed', by: ['regulator'] },
  return: { from: ['submitted'], to: 'returned', by: ['regulator'] },
  reject: { from: ['submitted'], to: 'rejected', by: ['regulator'] },
  suspend: { from: ['licensed'], to: 'suspended', by: ['regulator'] },
  reinstate: { from: ['suspended'], to: 'licensed', by: ['regulator'] },
  stop_enrolment: { from: ['licensed'], to: 'enrolment_stopped', by: ['regulator'] },
  resume_enrolment: { from: ['enrolment_stopped'], to: 'licensed', by: ['regulator'] },
  // Revocation (吊销) is a penalty of its own, not only the end of a suspension.
  revoke: { from: ['licensed', 'suspended', 'enrolment_stopped'], to: 'revoked', by: ['regulator'] },
  expire: { from: ['licensed'], to: 'expired', by: ['system'] },
  renew: { from: ['expired'], to: 'licensed', by: ['regulator'] },
  // A renewal keeps the licence licensed: applying, granting, refusing or deeming it changes its validity only.
  apply_renewal: { from: ['licensed'], to: 'licensed', by: ['institution'] },
  grant_renewal: { from: ['licensed'], to: 'licensed', by: ['regulator'] },
  refuse_renewal: { from: ['licensed'], to: 'licensed', by: ['regulator'] },
  deem_renewal: { from: ['licensed'], to: 'licensed', by: ['system'] },
  close: { from: ['licensed'], to: 'closed', by: ['regulator', 'institution'] },
};

export function checkTransition(action: LicenceAction, from: InstitutionStatus, actor: Actor): TransitionCheck<InstitutionStatus> {
  return check(LICENCE_TRANSITIONS, action, from, actor);
}

/** States in which a licence exists and the institution appears in the public register. */
export const REGISTERED_STATUSES: readonly InstitutionStatus[] = ['licensed', 'suspended', 'enrolment_stopped', 'revoked', 'expired', 'closed'];

/** The owner may edit the application only while it is not under review or decided. */
export const EDITABLE_STATUSES: readonly InstitutionStatus[] = ['draft', 'returned'];

/** Freezing funds applies to institutions that hold a licence, live, suspended or not enrolling. */
export const FREEZABLE_STATUSES: readonly InstitutionStatus[] = ['licensed', 'suspended', 'enrolment_stopped'];

/** Lessons are recorded and confirmed while enrolment is stopped (停止招生); suspension stops them. */
export const TEACHING_STATUSES: readonly InstitutionStatus[] = ['licensed', 'enrolment_stopped'];
