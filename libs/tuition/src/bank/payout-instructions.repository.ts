import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';

export type PayoutKind = 'institution_payout' | 'parent_refund';
export type PayoutStatus = 'pending' | 'executed';

export interface PayoutInstructionRow {
  id: string;
  kind: PayoutKind;
  institutionId: string;
  districtCode: string;
  contractId: string | null;
  amountFen: number;
  status: PayoutStatus;
  bankRef: string | null;
  executedAt: Date | null;
  createdAt: Date;
}

const COLUMNS = `id, kind, institution_id AS "institutionId", district_code AS "districtCode", contract_id AS "contractId", amount_fen AS "amountFen",
  status, bank_ref AS "bankRef", executed_at AS "executedAt", created_at AS "createdAt"`;

/** What the supervising bank is told to pay out: to institutions (settlements) and to parents (refunds). */
@Injectable()
export class PayoutInstructionsRepository {
  async insert(db: Db, instruction: Omit<PayoutInstructionRow, 'status' | 'bankRef' | 'executedAt'>): Promise<void> {
    await db.query(
      `INSERT INTO payout_instructions (id, kind, institution_id, district_code, contract_id, amount_fen, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)`,
      [
        instruction.id,
        instruction.kind,
        instruction.institutionId,
        instruction.districtCode,
        instruction.contractId,
        instruction.amountFen,
        instruction.createdAt,
      ],
    );
  }

  find(db: Db, id: string): Promise<PayoutInstructionRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM payout_instructions WHERE id = $1`, [id]);
  }

  /** Locks an instruction of the districts matching `districtPattern` (the bank's scope). */
  lockInScope(db: Db, id: string, districtPattern: string): Promise<PayoutInstructionRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM payout_instructions WHERE id = $1 AND district_code LIKE $2 ${LOCK}`, [id, districtPattern]);
  }

  inScope(db: Db, districtPattern: string, status: PayoutStatus | undefined, limit: number): Promise<PayoutInstructionRow[]> {
    return rows(
      db,
      `SELECT ${COLUMNS} FROM payout_instructions WHERE district_code LIKE $1 AND ($2::text IS NULL OR status = $2) ORDER BY created_at, id LIMIT $3`,
      [districtPattern, status ?? null, limit],
    );
  }

  async markExecuted(db: Db, id: string, execution: { bankRef: string; executedAt: Date }): Promise<void> {
    await db.query(`UPDATE payout_instructions SET status = 'executed', bank_ref = $2, executed_at = $3 WHERE id = $1`, [
      id,
      execution.bankRef,
      execution.executedAt,
    ]);
  }
}
