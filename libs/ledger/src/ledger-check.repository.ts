import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '@app/core';

/** The queries behind the ledger's invariants (DESIGN §5: 1, 2, 3 and 5), over the whole ledger. */
@Injectable()
export class LedgerCheckRepository {
  async sums(db: Db): Promise<{ debitsPosted: number; creditsPosted: number; debitsPending: number; creditsPending: number }> {
    return (await firstRow(
      db,
      `SELECT coalesce(sum(debits_posted), 0)::bigint AS "debitsPosted", coalesce(sum(credits_posted), 0)::bigint AS "creditsPosted",
              coalesce(sum(debits_pending), 0)::bigint AS "debitsPending", coalesce(sum(credits_pending), 0)::bigint AS "creditsPending"
       FROM ledger_accounts`,
    ))!;
  }

  async escrowFigures(db: Db): Promise<{ escrowAccounts: number; negative: number; escrowPostedFen: number }> {
    return (await firstRow(
      db,
      `SELECT count(*)::int AS "escrowAccounts", count(*) FILTER (WHERE credits_posted - debits_posted - debits_pending < 0)::int AS negative,
              coalesce(sum(credits_posted - debits_posted), 0)::bigint AS "escrowPostedFen"
       FROM ledger_accounts WHERE code = 'escrow'`,
    ))!;
  }

  /** Per institution: what custody holds, and what all its liability accounts owe. */
  custodyAndLiabilities(db: Db): Promise<Array<{ institutionId: string; custody: number; liabilities: number }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId",
              sum(CASE WHEN code = 'custody' THEN debits_posted - credits_posted ELSE 0 END)::bigint AS custody,
              sum(CASE WHEN code <> 'custody' THEN credits_posted - debits_posted ELSE 0 END)::bigint AS liabilities
       FROM ledger_accounts GROUP BY institution_id`,
    );
  }

  /** Accounts whose balance columns differ from the sums over their transfers (at most 20). */
  async accountsOffTheirTransfers(db: Db): Promise<string[]> {
    const found = await rows<{ id: string }>(
      db,
      `WITH resolved AS (SELECT pending_id FROM ledger_transfers WHERE pending_id IS NOT NULL),
       movements AS (
         SELECT debit_account_id AS account, amount AS dp, 0::bigint AS cp, 0::bigint AS dq, 0::bigint AS cq FROM ledger_transfers WHERE kind IN ('posted', 'post_pending')
         UNION ALL SELECT credit_account_id, 0, amount, 0, 0 FROM ledger_transfers WHERE kind IN ('posted', 'post_pending')
         UNION ALL SELECT debit_account_id, 0, 0, amount, 0 FROM ledger_transfers t WHERE kind = 'pending' AND NOT EXISTS (SELECT 1 FROM resolved r WHERE r.pending_id = t.id)
         UNION ALL SELECT credit_account_id, 0, 0, 0, amount FROM ledger_transfers t WHERE kind = 'pending' AND NOT EXISTS (SELECT 1 FROM resolved r WHERE r.pending_id = t.id)
       ),
       sums AS (SELECT account, sum(dp) dp, sum(cp) cp, sum(dq) dq, sum(cq) cq FROM movements GROUP BY account)
       SELECT a.id FROM ledger_accounts a LEFT JOIN sums s ON s.account = a.id
       WHERE a.debits_posted <> coalesce(s.dp, 0) OR a.credits_posted <> coalesce(s.cp, 0)
          OR a.debits_pending <> coalesce(s.dq, 0) OR a.credits_pending <> coalesce(s.cq, 0)
       LIMIT 20`,
    );
    return found.map((row) => row.id);
  }

  /** Transfers whose debit and credit accounts belong to different institutions: how many, and the first 20. */
  async transfersAcrossInstitutions(db: Db): Promise<{ count: number; transferIds: string[] }> {
    const found = await rows<{ id: string; total: number }>(
      db,
      `SELECT t.id, count(*) OVER ()::int AS total
       FROM ledger_transfers t
       JOIN ledger_accounts d ON d.id = t.debit_account_id
       JOIN ledger_accounts c ON c.id = t.credit_account_id
       WHERE d.institution_id <> c.institution_id
       ORDER BY t.id LIMIT 20`,
    );
    return { count: found[0]?.total ?? 0, transferIds: found.map((row) => row.id) };
  }

  async transferCount(db: Db): Promise<number> {
    return (await firstRow<{ transfers: number }>(db, `SELECT count(*)::int AS transfers FROM ledger_transfers`))!.transfers;
  }
}
