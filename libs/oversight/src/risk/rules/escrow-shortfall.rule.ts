import { RiskRule } from '../risk-rule';

export const escrowShortfall: RiskRule = {
  code: 'ESCROW_SHORTFALL',
  description: 'The bank statement shows less money in custody than the ledger says it holds.',
  evaluate: (facts) =>
    facts.custodyBankFen !== null && facts.custodyBankFen < facts.custodyLedgerFen
      ? {
          severity: 'red',
          evidence: {
            custodyLedgerFen: facts.custodyLedgerFen,
            custodyBankFen: facts.custodyBankFen,
            shortfallFen: facts.custodyLedgerFen - facts.custodyBankFen,
          },
        }
      : null,
};
