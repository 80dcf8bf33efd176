import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';

/**
 * institution_payout: a settlement's payout; parent_refund: a refund (or money returned on arrival);
 * final_release: a regulator's release of a revoked or closed institution's remaining money.
 */
export type PayoutKind = 'institution_payout' | 'parent_refund' | 'final_release';
export type StoredPayoutStatus = 'pending' | 'executed' | 'cancelled';
/** `held`: a pending institution payout of an institution not in good standing (DESIGN §9); derived, never stored. */
export type PayoutStatus = StoredPayoutStatus | 'held';

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
  cancelledAt: Date | null;
  createdAt: Date;
}

/** The status a reader sees: a pending settlement payout of an institution in `$held` is held. */
const STATUS = `CASE WHEN status = 'pending' AND kind = 'institution_payout' AND institution_id = ANY($2::uuid[]) THEN 'held' ELSE status END`;
const COLUMNS = `id, kind, institution_id AS "institutionId", district_code AS "districtCode", contract_id AS "contractId", amount_fen AS "amountFen",
  ${STATUS} AS status, bank_ref AS "bankRef", executed_at AS "executedAt", cancelled_at AS "cancelledAt", created_at AS "createdAt"`;

/** What the supervising bank is told to pay out: to institutions (settlements, final releases) and to parents (refunds). */
@Injectable()
export class PayoutInstructionsRepository {
  async insert(
    db: Db,
    instruction: Pick<PayoutInstructionRow, 'id' | 'kind' | 'institutionId' | 'districtCode' | 'contractId' | 'amountFen' | 'createdAt'>,
  ): Promise<void> {
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

  /** One instruction; `held` lists the institutions not in good standing, whose settlement payouts are held. */
  find(db: Db, id: string, held: string[]): Promise<PayoutInstructionRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM payout_instructions WHERE id = $1`, [id, held]);
  }

  /** Locks an instruction of the districts matching `districtPattern` (the bank's scope). */
  lockInScope(db: Db, id: string, districtPattern: string): Promise<PayoutInstructionRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM payout_instructions WHERE id = $1 AND district_code LIKE $3 ${LOCK}`, [id, [], districtPattern]);
  }

  /** Instructions of a scope (districts, or institutions), oldest first, filtered by the status a reader sees. */
  list(
    db: Db,
    scope: { districtPattern: string } | { institutionIds: string[] },
    filter: { status?: PayoutStatus; held: string[]; limit: number },
  ): Promise<PayoutInstructionRow[]> {
    const scoped = 'districtPattern' in scope ? `district_code LIKE $1` : `institution_id = ANY($1::uuid[])`;
    return rows(db, `SELECT ${COLUMNS} FROM payout_instructions WHERE ${scoped} AND ($3::text IS NULL OR ${STATUS} = $3) ORDER BY created_at, id LIMIT $4`, [
      'districtPattern' in scope ? scope.districtPattern : scope.institutionIds,
      filter.held,
      filter.status ?? null,
      filter.limit,
    ]);
  }

  /** Locks the institution's pending settlement payouts (cancelled on revocation or closure). */
  lockPendingPayoutsOf(db: Db, institutionId: string): Promise<Array<{ id: string; amountFen: number }>> {
    return rows(
      db,
      `SELECT id, amount_fen AS "amountFen" FROM payout_instructions WHERE institution_id = $1 AND kind = 'institution_payout' AND status = 'pending' ORDER BY id ${LOCK}`,
      [institutionId],
    );
  }

  async markExecuted(db: Db, id: string, execution: { bankRef: string; executedAt: Date }): Promise<void> {
    await db.query(`UPDATE payout_instructions SET status = 'executed', bank_ref = $2, executed_at = $3 WHERE id = $1`, [
      id,
      execution.bankRef,
      execution.executedAt,
    ]);
  }

  async cancel(db: Db, ids: string[], at: Date): Promise<void> {
    await db.query(`UPDATE payout_instructions SET status = 'cancelled', cancelled_at = $2 WHERE id = ANY($1::uuid[])`, [ids, at]);
  }

  /** Money the bank paid out per institution (executed instructions), for the custody invariant. */
  executedByInstitution(db: Db, institutionIds: string[] | null): Promise<Array<{ institutionId: string; executedFen: number }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", sum(amount_fen)::bigint AS "executedFen" FROM payout_instructions
       WHERE status = 'executed' AND ($1::uuid[] IS NULL OR institution_id = ANY($1::uuid[])) GROUP BY institution_id`,
      [institutionIds],
    );
  }
}
