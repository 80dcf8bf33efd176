import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerFactsRepository, PostedBalanceRow, TransferRow } from './ledger-facts.repository';
import type { AccountCode } from './ledger.types';

export type PostedBalance = PostedBalanceRow;
export type InstitutionTransfer = TransferRow;

/**
 * What the ledger holds per institution, for many institutions at once (docs/architecture.md,
 * "Cross-lib reads"): other libs read balances and transfers here, never the ledger's tables.
 */
@Injectable()
export class LedgerFactsService {
  constructor(
    private readonly facts: LedgerFactsRepository,
    private readonly dataSource: DataSource,
  ) {}

  /** Posted debits and credits per institution and account code; no row where an institution has no such account. */
  postedBalances(institutionIds: string[], codes: readonly AccountCode[]): Promise<PostedBalance[]> {
    return institutionIds.length ? this.facts.postedBalances(this.dataSource.manager, institutionIds, codes) : Promise.resolve([]);
  }

  /** Every transfer with `code` out of an account of these institutions (posted, pending or resolving one). */
  transfersDebiting(institutionIds: string[], code: string): Promise<InstitutionTransfer[]> {
    return institutionIds.length ? this.facts.transfersDebiting(this.dataSource.manager, institutionIds, code) : Promise.resolve([]);
  }
}
