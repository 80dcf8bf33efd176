import { LedgerService } from '@app/ledger';

/** The ledger accounts of one institution and one contract, named for what they hold. */
export const accountsOf = (institutionId: string) => ({
  custody: LedgerService.institutionAccountId(institutionId, 'custody'),
  payable: LedgerService.institutionAccountId(institutionId, 'payable'),
  reserve: LedgerService.institutionAccountId(institutionId, 'reserve'),
  refunds: LedgerService.institutionAccountId(institutionId, 'refunds'),
  payouts: LedgerService.institutionAccountId(institutionId, 'payouts'),
});

export const escrowOf = (contractId: string) => LedgerService.escrowAccountId(contractId);
