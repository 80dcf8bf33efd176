import { TransitionTable } from '@app/core';

export const PAYMENT_ORDER_STATUSES = ['pending', 'expired', 'confirmed', 'refunded'] as const;

export type PaymentOrderAction = 'receive' | 'receive_and_return' | 'expire';

/**
 * A payment order (docs/domain.md, "Escrow ledger"; docs/architecture.md, "Money from the bank"): only the
 * bank moves it to money, and only the platform's job expires it. Money may still arrive for an expired
 * order (a statement line dated before the expiry confirms it; one dated after is returned to the payer
 * in the same transaction). Confirmed and refunded are final: a second receipt of the same money is
 * answered, not taken again.
 */
export const PAYMENT_ORDER_TRANSITIONS: TransitionTable<(typeof PAYMENT_ORDER_STATUSES)[number], PaymentOrderAction> = {
  receive: { from: ['pending', 'expired'], to: 'confirmed', by: ['bank'] },
  receive_and_return: { from: ['pending', 'expired'], to: 'refunded', by: ['bank'] },
  expire: { from: ['pending'], to: 'expired', by: ['system'] },
};
