import { DomainError } from '@app/core';

/** Refusals of the ledger, each with the code clients see (409 or 422, never a 500). */
export const LedgerErrors = {
  insufficientFunds: (accountId: string, code: string) =>
    new DomainError(
      422,
      code === 'escrow' ? 'LEDGER.INSUFFICIENT_ESCROW' : 'LEDGER.INSUFFICIENT_FUNDS',
      `The ${code} account ${accountId} does not hold enough to cover this movement.`,
      { accountId },
    ),
  existsWithDifferentFields: (transferId: string) =>
    new DomainError(409, 'LEDGER.TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS', `Transfer ${transferId} already exists with different fields.`, { transferId }),
  pendingNotFound: (pendingId: string) => new DomainError(409, 'LEDGER.PENDING_TRANSFER_NOT_FOUND', `No pending transfer ${pendingId}.`, { pendingId }),
  pendingAlreadyResolved: (pendingId: string) =>
    new DomainError(409, 'LEDGER.PENDING_ALREADY_RESOLVED', `Pending transfer ${pendingId} was already posted or voided.`, { pendingId }),
  accountNotFound: (accountId: string) => new DomainError(409, 'LEDGER.ACCOUNT_NOT_FOUND', `No ledger account ${accountId}.`, { accountId }),
  invalidAmount: (transferId: string) =>
    new DomainError(422, 'LEDGER.INVALID_AMOUNT', `Transfer ${transferId} must move a positive whole number of fen.`, { transferId }),
};
