import { TransitionTable } from '@app/core';

/** A pupil's share of a recorded lesson: a pending transfer until the parent (or time, or a regulator) decides. */
export const CONSUMPTION_STATUSES = ['pending', 'disputed', 'confirmed', 'voided'] as const;
export type ConsumptionStatus = (typeof CONSUMPTION_STATUSES)[number];

export type ConsumptionAction = 'confirm' | 'dispute' | 'resolve_confirm' | 'resolve_void' | 'auto_confirm' | 'void_for_refund';

/**
 * docs/domain.md, “Escrow ledger”: the parent confirms or disputes a pending lesson; a regulator decides a disputed one; a
 * lesson left alone past its window is confirmed by the sweep; a refund of the whole contract (revocation,
 * closure) voids what is still undecided. Confirmed and voided are final.
 */
export const CONSUMPTION_TRANSITIONS: TransitionTable<ConsumptionStatus, ConsumptionAction> = {
  confirm: { from: ['pending'], to: 'confirmed', by: ['parent'] },
  dispute: { from: ['pending'], to: 'disputed', by: ['parent'] },
  resolve_confirm: { from: ['disputed'], to: 'confirmed', by: ['regulator'] },
  resolve_void: { from: ['disputed'], to: 'voided', by: ['regulator'] },
  auto_confirm: { from: ['pending'], to: 'confirmed', by: ['system'] },
  void_for_refund: { from: ['pending', 'disputed'], to: 'voided', by: ['system'] },
};
