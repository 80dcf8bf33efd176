import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';
import { LedgerCheckRepository } from './ledger-check.repository';

export interface InvariantResult {
  invariant: string;
  ok: boolean;
  figures: Record<string, unknown>;
}

/** The ledger's own invariants (1, 2, 3 and 5, and no transfer across institutions), over the whole ledger or the accounts of some institutions (null: all). */
@Injectable()
export class LedgerCheckService {
  constructor(private readonly checks: LedgerCheckRepository) {}

  async check(db: Db, institutionIds: string[] | null = null): Promise<InvariantResult[]> {
    return [
      await this.debitsEqualCredits(db, institutionIds),
      await this.noNegativeEscrow(db, institutionIds),
      await this.custodyCoversLiabilities(db, institutionIds),
      await this.balancesMatchTransfers(db, institutionIds),
      await this.transfersWithinOneInstitution(db, institutionIds),
    ];
  }

  /**
   * No transfer moves money between two institutions: each institution's money is a closed book (its
   * custody equals what it owes), the scoped checks above rely on it, and the ledger can be split by
   * institution (docs/scaling.md).
   */
  private async transfersWithinOneInstitution(db: Db, institutionIds: string[] | null): Promise<InvariantResult> {
    const crossing = await this.checks.transfersAcrossInstitutions(db, institutionIds);
    return {
      invariant: 'transfers_within_one_institution',
      ok: crossing.count === 0,
      figures: { crossing: crossing.count, transfers: crossing.transferIds },
    };
  }

  private async debitsEqualCredits(db: Db, institutionIds: string[] | null): Promise<InvariantResult> {
    const sums = await this.checks.sums(db, institutionIds);
    return { invariant: 'debits_equal_credits', ok: sums.debitsPosted === sums.creditsPosted && sums.debitsPending === sums.creditsPending, figures: sums };
  }

  private async noNegativeEscrow(db: Db, institutionIds: string[] | null): Promise<InvariantResult> {
    const figures = await this.checks.escrowFigures(db, institutionIds);
    return { invariant: 'no_negative_escrow', ok: figures.negative === 0, figures };
  }

  private async custodyCoversLiabilities(db: Db, institutionIds: string[] | null): Promise<InvariantResult> {
    const institutions = await this.checks.custodyAndLiabilities(db, institutionIds);
    const mismatched = institutions.filter((row) => row.custody !== row.liabilities);
    return {
      invariant: 'custody_equals_liabilities',
      ok: mismatched.length === 0,
      figures: { institutions: institutions.length, custodyFen: institutions.reduce((sum, row) => sum + row.custody, 0), mismatched: mismatched.slice(0, 20) },
    };
  }

  private async balancesMatchTransfers(db: Db, institutionIds: string[] | null): Promise<InvariantResult> {
    const mismatchedAccounts = await this.checks.accountsOffTheirTransfers(db, institutionIds);
    return {
      invariant: 'balances_match_transfers',
      ok: mismatchedAccounts.length === 0,
      figures: { transfers: await this.checks.transferCount(db, institutionIds), mismatchedAccounts },
    };
  }
}
