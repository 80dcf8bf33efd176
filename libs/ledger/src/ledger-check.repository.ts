import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '@app/core';

/** `$1`: the institutions' ids, or null for every account. */
const IN_SCOPE = `($1::uuid[] IS NULL OR institution_id = ANY($1::uuid[]))`;

/**
 * The transfers of the accounts in scope: all of them for null; otherwise each scoped account's debits,
 * read by IDX_LEDGER_TRANSFERS_DEBIT (both sides of a transfer belong to one institution, so its debit
 * side finds it). `OFFSET 0` keeps the lateral read per account: flattened into a join, the planner
 * estimates a district's share of the transfers too high and scans the whole table.
 */
const TRANSFERS_IN_SCOPE = `
  SELECT * FROM ledger_transfers WHERE $1::uuid[] IS NULL
  UNION ALL
  SELECT t.* FROM ledger_accounts d CROSS JOIN LATERAL (SELECT * FROM ledger_transfers x WHERE x.debit_account_id = d.id OFFSET 0) t
  WHERE $1::uuid[] IS NOT NULL AND d.institution_id = ANY($1::uuid[])`;

/**
 * The queries behind the ledger's invariants (docs/architecture.md, the ledger's invariants 1, 2, 3 and 5),
 * over the whole ledger or the accounts of some institutions (`institutionIds`, null for all): every
 * account belongs to one institution, and every transfer moves money between the accounts of one, so each
 * invariant holds per institution. Scoped, the statements read ledger_accounts by
 * IDX_LEDGER_ACCOUNTS_INSTITUTION and ledger_transfers by IDX_LEDGER_TRANSFERS_DEBIT (EXPLAIN in
 * docs/decisions.md, "Security").
 */
@Injectable()
export class LedgerCheckRepository {
  async sums(db: Db, institutionIds: string[] | null): Promise<{ debitsPosted: number; creditsPosted: number; debitsPending: number; creditsPending: number }> {
    return (await firstRow(
      db,
      `SELECT coalesce(sum(debits_posted), 0)::bigint AS "debitsPosted", coalesce(sum(credits_posted), 0)::bigint AS "creditsPosted",
              coalesce(sum(debits_pending), 0)::bigint AS "debitsPending", coalesce(sum(credits_pending), 0)::bigint AS "creditsPending"
       FROM ledger_accounts WHERE ${IN_SCOPE}`,
      [institutionIds],
    ))!;
  }

  async escrowFigures(db: Db, institutionIds: string[] | null): Promise<{ escrowAccounts: number; negative: number; escrowPostedFen: number }> {
    return (await firstRow(
      db,
      `SELECT count(*)::int AS "escrowAccounts", count(*) FILTER (WHERE credits_posted - debits_posted - debits_pending < 0)::int AS negative,
              coalesce(sum(credits_posted - debits_posted), 0)::bigint AS "escrowPostedFen"
       FROM ledger_accounts WHERE code = 'escrow' AND ${IN_SCOPE}`,
      [institutionIds],
    ))!;
  }

  /** Per institution: what custody holds, and what all its liability accounts owe. */
  custodyAndLiabilities(db: Db, institutionIds: string[] | null): Promise<Array<{ institutionId: string; custody: number; liabilities: number }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId",
              sum(CASE WHEN code = 'custody' THEN debits_posted - credits_posted ELSE 0 END)::bigint AS custody,
              sum(CASE WHEN code <> 'custody' THEN credits_posted - debits_posted ELSE 0 END)::bigint AS liabilities
       FROM ledger_accounts WHERE ${IN_SCOPE} GROUP BY institution_id`,
      [institutionIds],
    );
  }

  /** Accounts whose balance columns differ from the sums over their transfers (at most 20). */
  async accountsOffTheirTransfers(db: Db, institutionIds: string[] | null): Promise<string[]> {
    const found = await rows<{ id: string }>(
      db,
      // The accounts in scope MATERIALIZED: planned on their own, so LIMIT 20 does not tempt the planner into
      // scanning every account for the first mismatch.
      `WITH accounts AS MATERIALIZED (SELECT * FROM ledger_accounts WHERE ${IN_SCOPE}),
       transfers AS (${TRANSFERS_IN_SCOPE}),
       resolved AS (SELECT pending_id FROM transfers WHERE pending_id IS NOT NULL),
       movements AS (
         SELECT debit_account_id AS account, amount AS dp, 0::bigint AS cp, 0::bigint AS dq, 0::bigint AS cq FROM transfers WHERE kind IN ('posted', 'post_pending')
         UNION ALL SELECT credit_account_id, 0, amount, 0, 0 FROM transfers WHERE kind IN ('posted', 'post_pending')
         UNION ALL SELECT debit_account_id, 0, 0, amount, 0 FROM transfers t WHERE kind = 'pending' AND NOT EXISTS (SELECT 1 FROM resolved r WHERE r.pending_id = t.id)
         UNION ALL SELECT credit_account_id, 0, 0, 0, amount FROM transfers t WHERE kind = 'pending' AND NOT EXISTS (SELECT 1 FROM resolved r WHERE r.pending_id = t.id)
       ),
       sums AS (SELECT account, sum(dp) dp, sum(cp) cp, sum(dq) dq, sum(cq) cq FROM movements GROUP BY account)
       SELECT a.id FROM accounts a LEFT JOIN sums s ON s.account = a.id
       WHERE a.debits_posted <> coalesce(s.dp, 0) OR a.credits_posted <> coalesce(s.cp, 0)
          OR a.debits_pending <> coalesce(s.dq, 0) OR a.credits_pending <> coalesce(s.cq, 0)
       LIMIT 20`,
      [institutionIds],
    );
    return found.map((row) => row.id);
  }

  /** Transfers whose debit and credit accounts belong to different institutions, either in scope: how many, and the first 20. */
  async transfersAcrossInstitutions(db: Db, institutionIds: string[] | null): Promise<{ count: number; transferIds: string[] }> {
    const found = await rows<{ id: string; total: number }>(
      db,
      `SELECT t.id, count(*) OVER ()::int AS total
       FROM ledger_transfers t
       JOIN ledger_accounts d ON d.id = t.debit_account_id
       JOIN ledger_accounts c ON c.id = t.credit_account_id
       WHERE d.institution_id <> c.institution_id
         AND ($1::uuid[] IS NULL OR d.institution_id = ANY($1::uuid[]) OR c.institution_id = ANY($1::uuid[]))
       ORDER BY t.id LIMIT 20`,
      [institutionIds],
    );
    return { count: found[0]?.total ?? 0, transferIds: found.map((row) => row.id) };
  }

  async transferCount(db: Db, institutionIds: string[] | null): Promise<number> {
    return (await firstRow<{ transfers: number }>(db, `WITH transfers AS (${TRANSFERS_IN_SCOPE}) SELECT count(*)::int AS transfers FROM transfers`, [
      institutionIds,
    ]))!.transfers;
  }
}
