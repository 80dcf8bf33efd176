import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '@app/core';

export interface PaymentRow {
  id: string;
  contractId: string;
  amountFen: number;
  channel: string;
  externalRef: string;
  createdAt: Date;
}

const COLUMNS = `id, contract_id AS "contractId", amount_fen AS "amountFen", channel, external_ref AS "externalRef", created_at AS "createdAt"`;

@Injectable()
export class PaymentsRepository {
  find(db: Db, id: string): Promise<PaymentRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM payments WHERE id = $1`, [id]);
  }

  /** Inserts a payment; false when its channel reference was recorded already (by any payment). */
  async insert(db: Db, payment: PaymentRow): Promise<boolean> {
    const inserted = await rows(
      db,
      `INSERT INTO payments (id, contract_id, amount_fen, channel, external_ref, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (channel, external_ref) DO NOTHING RETURNING id`,
      [payment.id, payment.contractId, payment.amountFen, payment.channel, payment.externalRef, payment.createdAt],
    );
    return inserted.length > 0;
  }
}
