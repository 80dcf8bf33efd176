import { TransitionTable } from '@app/core';
import { PayoutStatus } from './payout-instructions.repository';

export const PAYOUT_STATUSES: readonly PayoutStatus[] = ['pending', 'held', 'executed', 'cancelled'];

export type PayoutAction = 'execute' | 'cancel';

/**
 * A payout instruction (docs/domain.md, "Escrow ledger"): the bank executes a pending one; the platform
 * cancels an institution's pending or held payouts on revocation or closure (their money goes back to
 * payable). `held` is derived from the institution's standing when read, never stored: holding and
 * releasing are not actions, a held payout is simply not executable.
 */
export const PAYOUT_TRANSITIONS: TransitionTable<PayoutStatus, PayoutAction> = {
  execute: { from: ['pending'], to: 'executed', by: ['bank'] },
  cancel: { from: ['pending', 'held'], to: 'cancelled', by: ['system'] },
};
