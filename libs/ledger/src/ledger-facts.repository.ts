import { Injectable } from '@nestjs/common';
import { Db, rows } from '@app/core';
import type { AccountCode } from './ledger.types';

/** Posted sides of every account of one institution and code, summed (an institution has one escrow account per contract). */
export interface PostedBalanceRow {
  institutionId: string;
  code: AccountCode;
  debitsPosted: number;
  creditsPosted: number;
}

export interface TransferRow {
  /** The institution of the debited account. */
  institutionId: string;
  contractId: string | null;
  amount: number;
  createdAt: Date;
}

/** Set-based reads of balances and transfers per institution, for the libs that report on the ledger. */
@Injectable()
export class LedgerFactsRepository {
  postedBalances(db: Db, institutionIds: string[], codes: readonly AccountCode[]): Promise<PostedBalanceRow[]> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", code, sum(debits_posted)::bigint AS "debitsPosted", sum(credits_posted)::bigint AS "creditsPosted"
       FROM ledger_accounts WHERE institution_id = ANY($1::uuid[]) AND code = ANY($2::text[]) GROUP BY institution_id, code`,
      [institutionIds, codes],
    );
  }

  transfersDebiting(db: Db, institutionIds: string[], code: string): Promise<TransferRow[]> {
    return rows(
      db,
      `SELECT a.institution_id AS "institutionId", t.contract_id AS "contractId", t.amount, t.created_at AS "createdAt"
       FROM ledger_accounts a JOIN ledger_transfers t ON t.debit_account_id = a.id
       WHERE a.institution_id = ANY($1::uuid[]) AND t.code = $2`,
      [institutionIds, code],
    );
  }
}
