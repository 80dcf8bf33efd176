import { Injectable } from '@nestjs/common';
import { Db, LOCK, rows } from '@app/core';
import { AccountBalances, AccountCode } from './ledger.types';

/** One movement as ledger_apply takes it: arrays of these become its array arguments. */
export interface ApplyArguments {
  ids: string[];
  kinds: string[];
  debitAccountIds: Array<string | null>;
  creditAccountIds: Array<string | null>;
  amounts: Array<number | null>;
  pendingIds: Array<string | null>;
  codes: string[];
  contractIds: Array<string | null>;
  referenceIds: Array<string | null>;
  at: Date;
}

/** An account's balance on its normal side (custody is debit-normal, the rest credit-normal) and its pending debits. */
export interface CodeBalance {
  code: AccountCode;
  balanceFen: number;
  debitsPendingFen: number;
  creditsPendingFen: number;
  accounts: number;
}

const BALANCE_COLUMNS = `id, code, institution_id AS "institutionId", contract_id AS "contractId", debits_posted AS "debitsPosted",
  credits_posted AS "creditsPosted", debits_pending AS "debitsPending", credits_pending AS "creditsPending"`;

/** The normal-side balance of an account, in SQL: what custody holds, or what a liability owes. */
const NORMAL_BALANCE = `CASE WHEN code = 'custody' THEN debits_posted - credits_posted ELSE credits_posted - debits_posted END`;

/** The ledger's SQL: accounts, the batch apply (a database function) and the reads other libs may make. */
@Injectable()
export class LedgerRepository {
  async openInstitutionAccounts(db: Db, institutionId: string, accounts: Array<{ id: string; code: AccountCode }>, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO ledger_accounts (id, code, institution_id, debits_must_not_exceed_credits, credits_must_not_exceed_debits, created_at)
       SELECT id, code, $1, code <> 'custody', code = 'custody', $4 FROM unnest($2::uuid[], $3::text[]) AS a(id, code)
       ON CONFLICT DO NOTHING`,
      [institutionId, accounts.map((account) => account.id), accounts.map((account) => account.code), at],
    );
  }

  /** Contracts' escrow accounts (one institution's), which may never go below zero counting pending debits. */
  async openEscrowAccounts(db: Db, institutionId: string, accounts: Array<{ id: string; contractId: string }>, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO ledger_accounts (id, code, institution_id, contract_id, debits_must_not_exceed_credits, credits_must_not_exceed_debits, created_at)
       SELECT id, 'escrow', $1, contract_id, true, false, $4 FROM unnest($2::uuid[], $3::uuid[]) AS a(id, contract_id) ON CONFLICT DO NOTHING`,
      [institutionId, accounts.map((account) => account.id), accounts.map((account) => account.contractId), at],
    );
  }

  /** One call of ledger_apply (migrations 1765000000000, 1765100000000): all or nothing, one round trip. */
  async apply(db: Db, batch: ApplyArguments): Promise<void> {
    await db.query(
      `SELECT ledger_apply($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::bigint[], $6::uuid[], $7::text[], $8::uuid[], $9::uuid[], $10::timestamptz)`,
      [
        batch.ids,
        batch.kinds,
        batch.debitAccountIds,
        batch.creditAccountIds,
        batch.amounts,
        batch.pendingIds,
        batch.codes,
        batch.contractIds,
        batch.referenceIds,
        batch.at,
      ],
    );
  }

  /** Row locks on accounts in id order (see LedgerService.lockAccounts for why one call). */
  async lockAccounts(db: Db, accountIds: string[]): Promise<void> {
    await db.query(`SELECT id FROM ledger_accounts WHERE id = ANY($1::uuid[]) ORDER BY id ${LOCK}`, [accountIds]);
  }

  balances(db: Db, accountIds: string[]): Promise<AccountBalances[]> {
    return rows(db, `SELECT ${BALANCE_COLUMNS} FROM ledger_accounts WHERE id = ANY($1::uuid[]) ORDER BY id`, [accountIds]);
  }

  /** Balances summed per account code over some institutions (an institution's desk, a district's escrow). */
  balancesByCode(db: Db, institutionIds: string[]): Promise<CodeBalance[]> {
    return rows(
      db,
      `SELECT code, sum(${NORMAL_BALANCE})::bigint AS "balanceFen", sum(debits_pending)::bigint AS "debitsPendingFen",
              sum(credits_pending)::bigint AS "creditsPendingFen", count(*)::int AS accounts
       FROM ledger_accounts WHERE institution_id = ANY($1::uuid[]) GROUP BY code ORDER BY code`,
      [institutionIds],
    );
  }

  /** Those of the institutions that have ledger accounts (that ever sold a contract). */
  async institutionsWithAccounts(db: Db, institutionIds: string[]): Promise<string[]> {
    const found = await rows<{ institutionId: string }>(
      db,
      `SELECT DISTINCT institution_id AS "institutionId" FROM ledger_accounts WHERE institution_id = ANY($1::uuid[]) ORDER BY 1`,
      [institutionIds],
    );
    return found.map((row) => row.institutionId);
  }

  /** Per contract escrow: posted balance and pending debits (all contracts for null). */
  escrowOfContracts(db: Db, contractIds: string[] | null): Promise<Array<{ contractId: string; escrowFen: number; pendingFen: number }>> {
    return rows(
      db,
      `SELECT contract_id AS "contractId", (credits_posted - debits_posted)::bigint AS "escrowFen", debits_pending::bigint AS "pendingFen"
       FROM ledger_accounts WHERE code = 'escrow' AND ($1::uuid[] IS NULL OR contract_id = ANY($1::uuid[]))`,
      [contractIds],
    );
  }

  /** What each institution's custody holds (its debit-normal balance). */
  custodyByInstitution(db: Db, institutionIds: string[] | null): Promise<Array<{ institutionId: string; custodyFen: number }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", (debits_posted - credits_posted)::bigint AS "custodyFen" FROM ledger_accounts
       WHERE code = 'custody' AND ($1::uuid[] IS NULL OR institution_id = ANY($1::uuid[]))`,
      [institutionIds],
    );
  }

  /** Whether any escrow of the institution still holds money, posted or pending. */
  async escrowHeld(db: Db, institutionId: string): Promise<boolean> {
    const [held] = await rows(
      db,
      `SELECT 1 FROM ledger_accounts WHERE institution_id = $1 AND code = 'escrow' AND (credits_posted - debits_posted > 0 OR debits_pending > 0) LIMIT 1`,
      [institutionId],
    );
    return Boolean(held);
  }

  /** Σ amount of transfers per contract and code, for the codes asked. */
  transferTotals(db: Db, contractIds: string[] | null, codes: string[]): Promise<Array<{ contractId: string; code: string; totalFen: number }>> {
    return rows(
      db,
      `SELECT contract_id AS "contractId", code, sum(amount)::bigint AS "totalFen" FROM ledger_transfers
       WHERE ($1::uuid[] IS NULL OR contract_id = ANY($1::uuid[])) AND contract_id IS NOT NULL AND code = ANY($2::text[]) GROUP BY contract_id, code`,
      [contractIds, codes],
    );
  }

  /**
   * Posted movements of the institutions' custody per business day (Asia/Shanghai) and transfer code:
   * what came in (custody debited) and went out (custody credited), over all time, oldest first.
   */
  custodyMovesByDay(db: Db, institutionIds: string[]): Promise<Array<{ date: string; code: string; inFen: number; outFen: number }>> {
    return rows(
      db,
      `WITH custody AS (SELECT id FROM ledger_accounts WHERE institution_id = ANY($1::uuid[]) AND code = 'custody')
       SELECT to_char((t.created_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS date, t.code,
              coalesce(sum(t.amount) FILTER (WHERE t.debit_account_id IN (SELECT id FROM custody)), 0)::bigint AS "inFen",
              coalesce(sum(t.amount) FILTER (WHERE t.credit_account_id IN (SELECT id FROM custody)), 0)::bigint AS "outFen"
       FROM ledger_transfers t
       WHERE t.kind = 'posted' AND (t.debit_account_id IN (SELECT id FROM custody) OR t.credit_account_id IN (SELECT id FROM custody))
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [institutionIds],
    );
  }
}
