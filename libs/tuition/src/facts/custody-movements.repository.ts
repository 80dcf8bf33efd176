import { Injectable } from '@nestjs/common';
import { Db, rows } from '@app/core';

/** Money the bank received for a payment order, as its statement should show it: under the order's reference. */
export interface PaymentMovementRow {
  id: string;
  districtCode: string;
  institutionId: string;
  amountFen: number;
  reference: string;
  receivedAt: Date;
}

/** An executed payout out of custody (to an institution or a refunded parent). */
export interface PayoutMovementRow {
  id: string;
  districtCode: string;
  institutionId: string;
  amountFen: number;
  bankRef: string | null;
  executedAt: Date | null;
}

/** Only orders the bank received money for (kept in escrow or returned at once) are movements of custody. */
const PAYMENT = `p.id, c.district_code AS "districtCode", c.institution_id AS "institutionId", p.amount_fen AS "amountFen", p.reference,
  p.received_at AS "receivedAt" FROM payments p JOIN contracts c ON c.id = p.contract_id WHERE p.status IN ('confirmed', 'refunded')`;
const PAYOUT = `id, district_code AS "districtCode", institution_id AS "institutionId", amount_fen AS "amountFen", bank_ref AS "bankRef", executed_at AS "executedAt"
  FROM payout_instructions`;

/** Payments and payouts: the money that moves through the supervising bank's custody account. */
@Injectable()
export class CustodyMovementsRepository {
  /** Ids of every payment and payout instruction of each of these institutions that has any. */
  idsOf(db: Db, institutionIds: string[]): Promise<Array<{ institutionId: string; ids: string[] }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", array_agg(id) AS ids FROM (
         SELECT c.institution_id, p.id FROM payments p JOIN contracts c ON c.id = p.contract_id
           WHERE c.institution_id = ANY($1::uuid[]) AND p.status IN ('confirmed', 'refunded')
         UNION ALL SELECT institution_id, id FROM payout_instructions WHERE institution_id = ANY($1::uuid[])) m
       GROUP BY institution_id`,
      [institutionIds],
    );
  }

  paymentsByReference(db: Db, references: string[]): Promise<PaymentMovementRow[]> {
    return rows(db, `SELECT ${PAYMENT} AND p.reference = ANY($1::text[]) ORDER BY p.id`, [references]);
  }

  executedPayoutsByReference(db: Db, references: string[]): Promise<PayoutMovementRow[]> {
    return rows(db, `SELECT ${PAYOUT} WHERE status = 'executed' AND bank_ref = ANY($1::text[]) ORDER BY id`, [references]);
  }

  /** One page, in id order after `afterId`, of the payments received before `before` in districts matching one of `districtPatterns` (LIKE). */
  paymentsBefore(db: Db, page: { before: Date; districtPatterns: string[]; afterId: string | null; limit: number }): Promise<PaymentMovementRow[]> {
    return rows(
      db,
      `SELECT ${PAYMENT} AND p.received_at < $1 AND c.district_code LIKE ANY($2::text[]) AND ($3::uuid IS NULL OR p.id > $3) ORDER BY p.id LIMIT $4`,
      [page.before, page.districtPatterns, page.afterId, page.limit],
    );
  }

  /** One page, in id order after `afterId`, of the payouts executed before `before`. */
  executedPayoutsBefore(db: Db, page: { before: Date; afterId: string | null; limit: number }): Promise<PayoutMovementRow[]> {
    return rows(db, `SELECT ${PAYOUT} WHERE status = 'executed' AND executed_at < $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`, [
      page.before,
      page.afterId,
      page.limit,
    ]);
  }
}
