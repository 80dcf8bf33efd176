import { Injectable } from '@nestjs/common';
import { Db, LOCK, changedRows, rows } from '@app/core';
import type { PaymentMovement, PayoutMovement } from '@app/tuition';

export interface StatementLine {
  date: string;
  amountFen: number;
  direction: 'in' | 'out';
  reference: string;
}

export interface UnmatchedLineRow {
  id: string;
  districtCode: string;
  amountFen: number;
  direction: 'in' | 'out';
  reference: string;
}

export interface LineMatch {
  lineId: string;
  kind: 'payment' | 'payout';
  matchedId: string;
}

/** An alert raised for a reconciliation finding; its outbox event names it. */
export interface RaisedAlert {
  id: string;
  districtCode: string;
}

export type ReconciliationRule = 'UNMATCHED_STATEMENT_LINE' | 'PAYMENT_NOT_ON_STATEMENT' | 'PAYOUT_NOT_ON_STATEMENT';

/** One alert per finding, whatever the number of runs: `dedupe_key` is unique ('line:…', 'payment:…', 'payout:…'). */
const RAISE = `INSERT INTO alerts (institution_id, district_code, kind, rule_code, severity, evidence, dedupe_key, created_at)`;
const RAISED = `ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, district_code AS "districtCode"`;

/**
 * The supervising bank's statement lines, what they were matched to (a payment or a payout, by id), and
 * the reconciliation alerts they give rise to (alerts of kind 'reconciliation').
 */
@Injectable()
export class ReconciliationRepository {
  /** Stores lines; a line sent again (same bank, direction and reference) is skipped. Answers how many were new. */
  async insertLines(db: Db, bank: { clientId: string; districtCode: string | null }, lines: StatementLine[], at: Date): Promise<number> {
    const inserted = await rows<{ id: string }>(
      db,
      `INSERT INTO bank_statement_lines (bank_client_id, district_code, date, amount_fen, direction, reference, created_at)
       SELECT $1, $2, date, amount, direction, reference, $7 FROM unnest($3::date[], $4::bigint[], $5::text[], $6::text[]) AS l(date, amount, direction, reference)
       ON CONFLICT (bank_client_id, direction, reference) DO NOTHING RETURNING id`,
      [
        bank.clientId,
        bank.districtCode,
        lines.map((line) => line.date),
        lines.map((line) => line.amountFen),
        lines.map((line) => line.direction),
        lines.map((line) => line.reference),
        at,
      ],
    );
    return inserted.length;
  }

  /** Lines not matched yet, locked (two reconciliations queue instead of matching the same line twice), by id. */
  unmatchedLines(db: Db): Promise<UnmatchedLineRow[]> {
    return rows(
      db,
      `SELECT id, district_code AS "districtCode", amount_fen AS "amountFen", direction, reference FROM bank_statement_lines
       WHERE matched_id IS NULL ORDER BY id ${LOCK}`,
    );
  }

  /** Which of these payments or payouts a line is matched to already. */
  async matchedAmong(db: Db, ids: string[]): Promise<Set<string>> {
    const matched = await rows<{ id: string }>(db, `SELECT DISTINCT matched_id AS id FROM bank_statement_lines WHERE matched_id = ANY($1::uuid[])`, [ids]);
    return new Set(matched.map((row) => row.id));
  }

  async match(db: Db, matches: LineMatch[]): Promise<number> {
    const matched = await changedRows<{ id: string }>(
      db,
      `UPDATE bank_statement_lines l SET matched_kind = m.kind, matched_id = m.matched_id
       FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS m(line_id, kind, matched_id) WHERE l.id = m.line_id AND l.matched_id IS NULL
       RETURNING l.id`,
      [matches.map((m) => m.lineId), matches.map((m) => m.kind), matches.map((m) => m.matchedId)],
    );
    return matched.length;
  }

  /** City prefixes (4 digits) of the districts the bank has sent lines for: where a missing payment is a finding. */
  async coveredCities(db: Db): Promise<string[]> {
    return (await rows<{ city: string }>(db, `SELECT DISTINCT left(district_code, 4) AS city FROM bank_statement_lines ORDER BY 1`)).map((row) => row.city);
  }

  /** Per institution, the net of the lines matched to its payments (in) and payouts (out); no entry when the bank showed none of them. */
  async custodyPerInstitution(db: Db, movementIds: ReadonlyMap<string, string[]>): Promise<Map<string, number>> {
    if (![...movementIds.values()].some((ids) => ids.length)) return new Map();
    // One JSON parameter ({institution: [ids]}): binding some 28,000 uuids a batch one array element at a time cost more than the join (bench/risk).
    const sums = await rows<{ institutionId: string; custodyFen: number }>(
      db,
      `SELECT m.key AS "institutionId", sum(CASE WHEN l.direction = 'in' THEN l.amount_fen ELSE -l.amount_fen END)::bigint AS "custodyFen"
       FROM jsonb_each($1::jsonb) m CROSS JOIN jsonb_array_elements_text(m.value) AS movement(id)
       JOIN bank_statement_lines l ON l.matched_id = movement.id::uuid GROUP BY m.key`,
      [JSON.stringify(Object.fromEntries(movementIds))],
    );
    return new Map(sums.map((row) => [row.institutionId, row.custodyFen]));
  }

  raiseUnmatchedLines(db: Db, at: Date): Promise<RaisedAlert[]> {
    return rows(
      db,
      `${RAISE}
       SELECT NULL::uuid, l.district_code, 'reconciliation', 'UNMATCHED_STATEMENT_LINE', 'red',
              json_build_object('lineId', l.id, 'date', l.date, 'amountFen', l.amount_fen, 'direction', l.direction, 'reference', l.reference), 'line:' || l.id,
              $1::timestamptz
       FROM bank_statement_lines l WHERE l.matched_id IS NULL
       ${RAISED}`,
      [at],
    );
  }

  /** Raises an alert for each of these payments that no line is matched to. */
  raisePaymentsNotOnStatement(db: Db, payments: PaymentMovement[], at: Date): Promise<RaisedAlert[]> {
    return rows(
      db,
      `${RAISE}
       SELECT p.institution_id, p.district_code, 'reconciliation', 'PAYMENT_NOT_ON_STATEMENT', 'red',
              json_build_object('paymentId', p.id, 'amountFen', p.amount_fen, 'reference', p.reference, 'receivedAt', p.received_at), 'payment:' || p.id, $7::timestamptz
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[])
            AS p(id, institution_id, district_code, amount_fen, reference, received_at)
       WHERE NOT EXISTS (SELECT 1 FROM bank_statement_lines l WHERE l.matched_id = p.id)
       ${RAISED}`,
      [
        payments.map((p) => p.id),
        payments.map((p) => p.institutionId),
        payments.map((p) => p.districtCode),
        payments.map((p) => p.amountFen),
        payments.map((p) => p.reference),
        payments.map((p) => p.receivedAt),
        at,
      ],
    );
  }

  /** Raises an alert for each of these payouts that no line is matched to. */
  raisePayoutsNotOnStatement(db: Db, payouts: PayoutMovement[], at: Date): Promise<RaisedAlert[]> {
    return rows(
      db,
      `${RAISE}
       SELECT i.institution_id, i.district_code, 'reconciliation', 'PAYOUT_NOT_ON_STATEMENT', 'red',
              json_build_object('instructionId', i.id, 'amountFen', i.amount_fen, 'bankRef', i.bank_ref, 'executedAt', i.executed_at), 'payout:' || i.id, $7::timestamptz
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[])
            AS i(id, institution_id, district_code, amount_fen, bank_ref, executed_at)
       WHERE NOT EXISTS (SELECT 1 FROM bank_statement_lines l WHERE l.matched_id = i.id)
       ${RAISED}`,
      [
        payouts.map((i) => i.id),
        payouts.map((i) => i.institutionId),
        payouts.map((i) => i.districtCode),
        payouts.map((i) => i.amountFen),
        payouts.map((i) => i.bankRef),
        payouts.map((i) => i.executedAt),
        at,
      ],
    );
  }
}
