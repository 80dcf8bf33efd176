/**
 * Account codes of docs/domain.md, “Escrow ledger”. Custody is the asset (debit-normal): what the supervising bank holds. The
 * rest are liabilities; `payouts` holds settled money until the bank executes the payout, as `refunds`
 * holds refunds until the bank pays the parent, so custody always equals the bank.
 */
export type AccountCode = 'custody' | 'escrow' | 'payable' | 'reserve' | 'refunds' | 'payouts';

export interface AccountBalances {
  id: string;
  code: AccountCode;
  institutionId: string;
  contractId: string | null;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

interface TransferBase {
  /** Client-chosen and unique: the idempotency key of the movement. */
  id: string;
  /** What kind of movement: payment, lesson, refund, payout, retention, release, refund_paid… */
  code: string;
  contractId?: string | null;
  referenceId?: string | null;
}

/** Moves `amount` now (posted) or reserves it (pending) from the debit to the credit account. */
export interface NewTransfer extends TransferBase {
  kind: 'posted' | 'pending';
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
}

/** Posts or voids a pending transfer, for its whole amount, once. */
export interface PendingResolution extends TransferBase {
  kind: 'post_pending' | 'void_pending';
  pendingId: string;
}

export type TransferRequest = NewTransfer | PendingResolution;
