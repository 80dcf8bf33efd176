import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface InvariantResult {
  invariant: string;
  ok: boolean;
  figures: Record<string, unknown>;
}

/** The ledger's own invariants of DESIGN §5 (1, 2, 3 and 5), as queries over the whole ledger. */
@Injectable()
export class LedgerCheckService {
  async check(manager: EntityManager): Promise<InvariantResult[]> {
    return [
      await this.debitsEqualCredits(manager),
      await this.noNegativeEscrow(manager),
      await this.custodyCoversLiabilities(manager),
      await this.balancesMatchTransfers(manager),
    ];
  }

  private async debitsEqualCredits(manager: EntityManager): Promise<InvariantResult> {
    const [sums] = await manager.query(
      `SELECT coalesce(sum(debits_posted), 0)::bigint AS "debitsPosted", coalesce(sum(credits_posted), 0)::bigint AS "creditsPosted",
              coalesce(sum(debits_pending), 0)::bigint AS "debitsPending", coalesce(sum(credits_pending), 0)::bigint AS "creditsPending"
       FROM ledger_accounts`,
    );
    return { invariant: 'debits_equal_credits', ok: sums.debitsPosted === sums.creditsPosted && sums.debitsPending === sums.creditsPending, figures: sums };
  }

  private async noNegativeEscrow(manager: EntityManager): Promise<InvariantResult> {
    const [row] = await manager.query(
      `SELECT count(*)::int AS "escrowAccounts", count(*) FILTER (WHERE credits_posted - debits_posted - debits_pending < 0)::int AS negative,
              coalesce(sum(credits_posted - debits_posted), 0)::bigint AS "escrowPostedFen"
       FROM ledger_accounts WHERE code = 'escrow'`,
    );
    return { invariant: 'no_negative_escrow', ok: row.negative === 0, figures: row };
  }

  private async custodyCoversLiabilities(manager: EntityManager): Promise<InvariantResult> {
    const rows: Array<{ institutionId: string; custody: number; liabilities: number }> = await manager.query(
      `SELECT institution_id AS "institutionId",
              sum(CASE WHEN code = 'custody' THEN debits_posted - credits_posted ELSE 0 END)::bigint AS custody,
              sum(CASE WHEN code <> 'custody' THEN credits_posted - debits_posted ELSE 0 END)::bigint AS liabilities
       FROM ledger_accounts GROUP BY institution_id`,
    );
    const mismatched = rows.filter((row) => row.custody !== row.liabilities);
    return {
      invariant: 'custody_equals_liabilities',
      ok: mismatched.length === 0,
      figures: { institutions: rows.length, custodyFen: rows.reduce((sum, row) => sum + row.custody, 0), mismatched: mismatched.slice(0, 20) },
    };
  }

  private async balancesMatchTransfers(manager: EntityManager): Promise<InvariantResult> {
    const mismatched = await manager.query(
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
    const [{ transfers }] = await manager.query(`SELECT count(*)::int AS transfers FROM ledger_transfers`);
    return {
      invariant: 'balances_match_transfers',
      ok: mismatched.length === 0,
      figures: { transfers, mismatchedAccounts: mismatched.map((row: { id: string }) => row.id) },
    };
  }
}
