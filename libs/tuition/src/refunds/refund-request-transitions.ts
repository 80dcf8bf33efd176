import { TransitionTable } from '@app/core';

export const REFUND_REQUEST_STATUSES = ['requested', 'accepted', 'rejected'] as const;
export type RefundRequestStatus = (typeof REFUND_REQUEST_STATUSES)[number];

export type RefundRequestAction = 'accept' | 'reject' | 'deem_accepted' | 'accept_automatically' | 'accept_by_order' | 'supersede';

/**
 * docs/domain.md, “Escrow ledger”: the institution accepts or rejects a parent's request; one left unanswered past its window
 * is deemed accepted; on revocation or closure the platform accepts its own automatic request, and a
 * regulator's refund order is accepted as it is made; either supersedes (rejects) any request still open.
 * Accepted and rejected are final.
 */
export const REFUND_REQUEST_TRANSITIONS: TransitionTable<RefundRequestStatus, RefundRequestAction> = {
  accept: { from: ['requested'], to: 'accepted', by: ['institution'] },
  reject: { from: ['requested'], to: 'rejected', by: ['institution'] },
  deem_accepted: { from: ['requested'], to: 'accepted', by: ['system'] },
  accept_automatically: { from: ['requested'], to: 'accepted', by: ['system'] },
  accept_by_order: { from: ['requested'], to: 'accepted', by: ['regulator'] },
  supersede: { from: ['requested'], to: 'rejected', by: ['system'] },
};
