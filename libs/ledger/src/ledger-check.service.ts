import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';
import { LedgerCheckRepository } from './ledger-check.repository';

export interface InvariantResult {
  invariant: string;
  ok: boolean;
  figures: Record<string, unknown>;
}

/** The ledger's own invariants (docs/architecture.md, "Money"), as queries over the whole ledger. */
@Injectable()
export class LedgerCheckService {
  constructor(private readonly checks: LedgerCheckRepository) {}

  async check(db: Db): Promise<InvariantResult[]> {
    return [
      await this.debitsEqualCredits(db),
      await this.noNegativeEscrow(db),
      await this.custodyCoversLiabilities(db),
      await this.balancesMatchTransfers(db),
      await this.transfersWithinOneInstitution(db),
    ];
  }

  /**
   * No transfer moves money between two institutions: each institution's money is a closed book (its
   * custody equals what it owes), and the ledger can be split by institution (docs/scaling.md).
   */
  private async transfersWithinOneInstitution(db: Db): Promise<InvariantResult> {
    const crossing = await this.checks.transfersAcrossInstitutions(db);
    return {
      invariant: 'transfers_within_one_institution',
      ok: crossing.count === 0,
      figures: { crossing: crossing.count, transfers: crossing.transferIds },
    };
  }

  private async debitsEqualCredits(db: Db): Promise<InvariantResult> {
    const sums = await this.checks.sums(db);
    return { invariant: 'debits_equal_credits', ok: sums.debitsPosted === sums.creditsPosted && sums.debitsPending === sums.creditsPending, figures: sums };
  }

  private async noNegativeEscrow(db: Db): Promise<InvariantResult> {
    const figures = await this.checks.escrowFigures(db);
    return { invariant: 'no_negative_escrow', ok: figures.negative === 0, figures };
  }

  private async custodyCoversLiabilities(db: Db): Promise<InvariantResult> {
    const institutions = await this.checks.custodyAndLiabilities(db);
    const mismatched = institutions.filter((row) => row.custody !== row.liabilities);
    return {
      invariant: 'custody_equals_liabilities',
      ok: mismatched.length === 0,
      figures: { institutions: institutions.length, custodyFen: institutions.reduce((sum, row) => sum + row.custody, 0), mismatched: mismatched.slice(0, 20) },
    };
  }

  private async balancesMatchTransfers(db: Db): Promise<InvariantResult> {
    const mismatchedAccounts = await this.checks.accountsOffTheirTransfers(db);
    return {
      invariant: 'balances_match_transfers',
      ok: mismatchedAccounts.length === 0,
      figures: { transfers: await this.checks.transferCount(db), mismatchedAccounts },
    };
  }
}
