import { Injectable } from '@nestjs/common';
import { Db, LOCK, changedRows, firstRow, rows } from '@app/core';
import { PAYMENT_ORDER_STATUSES } from './payment-order-transitions';

/** An order awaiting the bank; expired when no money came in time; confirmed in escrow; or returned at once. */
export type PaymentStatus = (typeof PAYMENT_ORDER_STATUSES)[number];
export const PAYMENT_CHANNELS = ['bank_transfer', 'wechat_pay', 'alipay', 'union_pay'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

/** A payment order and, once the bank has spoken, its receipt. */
export interface PaymentRow {
  id: string;
  contractId: string;
  reference: string;
  amountFen: number;
  channel: PaymentChannel;
  status: PaymentStatus;
  expiresAt: Date;
  bankClientId: string | null;
  bankRef: string | null;
  receivedAt: Date | null;
  createdAt: Date;
}

/** A payment with the contract facts the receipt's rules need. */
export interface PaymentOfContract extends PaymentRow {
  institutionId: string;
  districtCode: string;
  parentUserId: string;
}

const COLUMNS = `p.id, p.contract_id AS "contractId", p.reference, p.amount_fen AS "amountFen", p.channel, p.status, p.expires_at AS "expiresAt",
  p.bank_client_id AS "bankClientId", p.bank_ref AS "bankRef", p.received_at AS "receivedAt", p.created_at AS "createdAt"`;
const WITH_CONTRACT = `SELECT ${COLUMNS}, c.institution_id AS "institutionId", c.district_code AS "districtCode", c.parent_user_id AS "parentUserId"
  FROM payments p JOIN contracts c ON c.id = p.contract_id`;

@Injectable()
export class PaymentsRepository {
  /** Inserts an order; false when one with this id exists (a retry of the same request). */
  async insertOrder(db: Db, order: Omit<PaymentRow, 'status' | 'bankClientId' | 'bankRef' | 'receivedAt'>): Promise<boolean> {
    const inserted = await rows(
      db,
      `INSERT INTO payments (id, contract_id, reference, amount_fen, channel, status, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [order.id, order.contractId, order.reference, order.amountFen, order.channel, order.expiresAt, order.createdAt],
    );
    return inserted.length > 0;
  }

  find(db: Db, id: string): Promise<PaymentRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM payments p WHERE p.id = $1`, [id]);
  }

  byReference(db: Db, reference: string): Promise<PaymentOfContract | undefined> {
    return firstRow(db, `${WITH_CONTRACT} WHERE p.reference = $1`, [reference]);
  }

  byBankRef(db: Db, bankClientId: string, bankRef: string): Promise<PaymentRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM payments p WHERE p.bank_client_id = $1 AND p.bank_ref = $2`, [bankClientId, bankRef]);
  }

  /** Locks a payment row (after its institution and contract, in the platform's lock order). */
  lock(db: Db, id: string): Promise<PaymentRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM payments p WHERE p.id = $1 ${LOCK}`, [id]);
  }

  ofContracts(db: Db, contractIds: string[]): Promise<PaymentRow[]> {
    return rows(db, `SELECT ${COLUMNS} FROM payments p WHERE p.contract_id = ANY($1::uuid[]) ORDER BY p.created_at, p.id`, [contractIds]);
  }

  /** What the contract's orders still open at `now` promise: they count against what is left to pay. */
  async openTotal(db: Db, contractId: string, now: Date): Promise<number> {
    const found = await firstRow<{ total: number }>(
      db,
      `SELECT coalesce(sum(amount_fen), 0)::bigint AS total FROM payments WHERE contract_id = $1 AND status = 'pending' AND expires_at > $2`,
      [contractId, now],
    );
    return found?.total ?? 0;
  }

  /** The bank's receipt of an order: confirmed (in escrow) or refunded (returned at once). */
  async recordReceipt(
    db: Db,
    id: string,
    receipt: { status: 'confirmed' | 'refunded'; bankClientId: string; bankRef: string | null; receivedAt: Date; at: Date },
  ): Promise<void> {
    await db.query(`UPDATE payments SET status = $2, bank_client_id = $3, bank_ref = $4, received_at = $5, settled_at = $6 WHERE id = $1`, [
      id,
      receipt.status,
      receipt.bankClientId,
      receipt.bankRef,
      receipt.receivedAt,
      receipt.at,
    ]);
  }

  /** A second channel's word on a received payment: its bank reference, when the first channel had none. */
  async matchBankRef(db: Db, id: string, bankClientId: string, bankRef: string): Promise<void> {
    await db.query(`UPDATE payments SET bank_client_id = $2, bank_ref = $3 WHERE id = $1 AND bank_ref IS NULL`, [id, bankClientId, bankRef]);
  }

  /** Marks every order still pending past its expiry; answers how many. */
  async expire(db: Db, now: Date): Promise<number> {
    return (await changedRows(db, `UPDATE payments SET status = 'expired' WHERE status = 'pending' AND expires_at <= $1 RETURNING id`, [now])).length;
  }

  /** Pending orders opened before `before`, oldest first (the sandbox bank confirms them). */
  pendingBefore(db: Db, before: Date, limit: number): Promise<PaymentOfContract[]> {
    return rows(db, `${WITH_CONTRACT} WHERE p.status = 'pending' AND p.created_at <= $1 ORDER BY p.created_at LIMIT $2`, [before, limit]);
  }

  /** Money the bank received per institution (confirmed or returned), for the custody invariant. */
  receivedByInstitution(db: Db, institutionIds: string[] | null): Promise<Array<{ institutionId: string; receivedFen: number }>> {
    return rows(
      db,
      `SELECT c.institution_id AS "institutionId", sum(p.amount_fen)::bigint AS "receivedFen"
       FROM payments p JOIN contracts c ON c.id = p.contract_id
       WHERE p.status IN ('confirmed', 'refunded') AND ($1::uuid[] IS NULL OR c.institution_id = ANY($1::uuid[])) GROUP BY c.institution_id`,
      [institutionIds],
    );
  }
}
