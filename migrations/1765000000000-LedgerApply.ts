import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's batch apply as one database function, so a batch of transfers costs one round trip
 * instead of four or five (look up pending transfers, lock accounts, insert, compare replays, update
 * balances), and PostgreSQL plans its statements once per connection instead of once per call.
 * bench/ledger measured the round trips, not locks, as what limited confirmations and roll calls.
 *
 * ledger_apply(ids, kinds, debit accounts, credit accounts, amounts, pending ids, codes, contract ids,
 * reference ids), one array element per transfer, in the caller's transaction:
 * 1. a post_pending or void_pending takes its accounts and amount from its pending transfer
 *    (LG404 when there is none);
 * 2. every account is locked in id order (FOR NO KEY UPDATE) before any insert, whose foreign-key
 *    checks would otherwise take share locks in another order;
 * 3. the transfers are inserted; an id that exists is skipped when its fields are the same (a retry)
 *    and refused (LG409) when they differ; a second resolution of one pending transfer collides on
 *    UQ_LEDGER_TRANSFERS_PENDING_RESOLUTION;
 * 4. balances move by one guarded UPDATE per account for the transfers inserted; an account whose
 *    balance flags would be broken refuses the whole batch (LG422, its id as the message, its code
 *    as the detail). The table's CHECK constraints stand behind the guard.
 * Amounts are validated by the caller (LedgerService) before the call.
 */
export class LedgerApply1765000000000 implements MigrationInterface {
  name = 'LedgerApply1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION ledger_apply(
        p_ids uuid[], p_kinds text[], p_debits uuid[], p_credits uuid[], p_amounts bigint[],
        p_pending_ids uuid[], p_codes text[], p_contract_ids uuid[], p_reference_ids uuid[]
      ) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        v_debits uuid[];
        v_credits uuid[];
        v_amounts bigint[];
        v_missing uuid;
        v_inserted uuid[];
        v_different uuid;
        v_refused uuid;
        v_refused_code text;
      BEGIN
        SELECT array_agg(coalesce(p.debit_account_id, r.debit) ORDER BY r.n),
               array_agg(coalesce(p.credit_account_id, r.credit) ORDER BY r.n),
               array_agg(coalesce(p.amount, r.amount) ORDER BY r.n),
               (array_agg(r.pending_id) FILTER (WHERE r.pending_id IS NOT NULL AND p.id IS NULL))[1]
          INTO v_debits, v_credits, v_amounts, v_missing
          FROM unnest(p_debits, p_credits, p_amounts, p_pending_ids) WITH ORDINALITY AS r(debit, credit, amount, pending_id, n)
          LEFT JOIN ledger_transfers p ON p.id = r.pending_id AND p.kind = 'pending';
        IF v_missing IS NOT NULL THEN
          RAISE EXCEPTION USING ERRCODE = 'LG404', MESSAGE = v_missing::text;
        END IF;

        PERFORM 1 FROM ledger_accounts WHERE id = ANY(v_debits || v_credits) ORDER BY id FOR NO KEY UPDATE;

        WITH inserted AS (
          INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, pending_id, code, contract_id, reference_id)
          SELECT * FROM unnest(p_ids, v_debits, v_credits, v_amounts, p_kinds, p_pending_ids, p_codes, p_contract_ids, p_reference_ids)
          ON CONFLICT (id) DO NOTHING
          RETURNING id, debit_account_id, credit_account_id, amount, kind
        ),
        legs AS (
          SELECT debit_account_id AS account_id,
                 CASE WHEN kind IN ('posted', 'post_pending') THEN amount ELSE 0 END AS posted,
                 CASE kind WHEN 'pending' THEN amount WHEN 'posted' THEN 0 ELSE -amount END AS pending,
                 true AS is_debit
            FROM inserted
          UNION ALL
          SELECT credit_account_id,
                 CASE WHEN kind IN ('posted', 'post_pending') THEN amount ELSE 0 END,
                 CASE kind WHEN 'pending' THEN amount WHEN 'posted' THEN 0 ELSE -amount END,
                 false
            FROM inserted
        ),
        deltas AS (
          SELECT account_id,
                 sum(posted) FILTER (WHERE is_debit) AS dp, sum(posted) FILTER (WHERE NOT is_debit) AS cp,
                 sum(pending) FILTER (WHERE is_debit) AS dq, sum(pending) FILTER (WHERE NOT is_debit) AS cq
            FROM legs GROUP BY account_id
        ),
        updated AS (
          UPDATE ledger_accounts a SET
            debits_posted = a.debits_posted + coalesce(d.dp, 0), credits_posted = a.credits_posted + coalesce(d.cp, 0),
            debits_pending = a.debits_pending + coalesce(d.dq, 0), credits_pending = a.credits_pending + coalesce(d.cq, 0)
          FROM deltas d
          WHERE a.id = d.account_id
            AND (NOT a.debits_must_not_exceed_credits
                 OR a.debits_posted + coalesce(d.dp, 0) + a.debits_pending + coalesce(d.dq, 0) <= a.credits_posted + coalesce(d.cp, 0))
            AND (NOT a.credits_must_not_exceed_debits
                 OR a.credits_posted + coalesce(d.cp, 0) + a.credits_pending + coalesce(d.cq, 0) <= a.debits_posted + coalesce(d.dp, 0))
          RETURNING a.id
        )
        SELECT (SELECT array_agg(id) FROM inserted),
               (SELECT min(d.account_id::text)::uuid FROM deltas d WHERE d.account_id NOT IN (SELECT id FROM updated))
          INTO v_inserted, v_refused;
        IF coalesce(cardinality(v_inserted), 0) < cardinality(p_ids) THEN
          SELECT r.id INTO v_different
            FROM unnest(p_ids, p_kinds, v_debits, v_credits, v_amounts, p_pending_ids, p_codes, p_contract_ids, p_reference_ids)
                 AS r(id, kind, debit, credit, amount, pending_id, code, contract_id, reference_id)
            JOIN ledger_transfers t ON t.id = r.id
           WHERE r.id <> ALL(coalesce(v_inserted, '{}'))
             AND (t.kind, t.debit_account_id, t.credit_account_id, t.amount, t.pending_id, t.code, t.contract_id, t.reference_id)
                 IS DISTINCT FROM (r.kind, r.debit, r.credit, r.amount, r.pending_id, r.code, r.contract_id, r.reference_id)
           LIMIT 1;
          IF v_different IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'LG409', MESSAGE = v_different::text;
          END IF;
        END IF;

        IF v_refused IS NOT NULL THEN
          SELECT code INTO v_refused_code FROM ledger_accounts WHERE id = v_refused;
          RAISE EXCEPTION USING ERRCODE = 'LG422', MESSAGE = v_refused::text, DETAIL = v_refused_code;
        END IF;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION ledger_apply(uuid[], text[], uuid[], uuid[], bigint[], uuid[], text[], uuid[], uuid[])`);
  }
}
