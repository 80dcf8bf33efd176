import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';

export interface SettlementRow {
  id: string;
  institutionId: string;
  districtCode: string;
  period: string;
  businessDate: string;
  payableFen: number;
  payoutFen: number;
  retainedFen: number;
  releasedFen: number;
  createdAt: Date;
}

const COLUMNS = `s.id, s.institution_id AS "institutionId", s.district_code AS "districtCode", s.period, s.business_date AS "businessDate", s.payable_fen AS "payableFen",
  s.payout_fen AS "payoutFen", s.retained_fen AS "retainedFen", s.released_fen AS "releasedFen", s.created_at AS "createdAt"`;

/** Settlements (one per institution and period) and the reserve tranches they retain and release. */
@Injectable()
export class SettlementsRepository {
  find(db: Db, id: string): Promise<SettlementRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM settlements s WHERE s.id = $1`, [id]);
  }

  async exists(db: Db, id: string): Promise<boolean> {
    return Boolean(await firstRow(db, `SELECT 1 FROM settlements WHERE id = $1`, [id]));
  }

  /** Inserts a settlement; false when its (institution, period) was settled already. */
  async insert(db: Db, settlement: SettlementRow): Promise<boolean> {
    const inserted = await rows(
      db,
      `INSERT INTO settlements (id, institution_id, district_code, period, business_date, payable_fen, payout_fen, retained_fen, released_fen, frozen, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false, $10) ON CONFLICT DO NOTHING RETURNING id`,
      [
        settlement.id,
        settlement.institutionId,
        settlement.districtCode,
        settlement.period,
        settlement.businessDate,
        settlement.payableFen,
        settlement.payoutFen,
        settlement.retainedFen,
        settlement.releasedFen,
        settlement.createdAt,
      ],
    );
    return inserted.length > 0;
  }

  /** Locks the institution's unreleased tranches due on or before `date` (all of them for null), with what is left of each after claw-backs. */
  lockDueTranches(db: Db, institutionId: string, date: string | null): Promise<Array<{ id: string; amount: number }>> {
    return rows(
      db,
      `SELECT id, amount_fen - clawed_back_fen AS amount FROM reserve_tranches
       WHERE institution_id = $1 AND ($2::date IS NULL OR release_on <= $2) AND released_by IS NULL ORDER BY release_on, id ${LOCK}`,
      [institutionId, date],
    );
  }

  /** Takes `amountFen` back from the tranche (a refund order's claw-back). */
  async clawBack(db: Db, trancheId: string, amountFen: number): Promise<void> {
    await db.query(`UPDATE reserve_tranches SET clawed_back_fen = clawed_back_fen + $2 WHERE id = $1`, [trancheId, amountFen]);
  }

  async insertTranche(db: Db, tranche: { id: string; institutionId: string; settlementId: string; amountFen: number; releaseOn: string }): Promise<void> {
    await db.query(`INSERT INTO reserve_tranches (id, institution_id, settlement_id, amount_fen, release_on) VALUES ($1, $2, $3, $4, $5)`, [
      tranche.id,
      tranche.institutionId,
      tranche.settlementId,
      tranche.amountFen,
      tranche.releaseOn,
    ]);
  }

  /** Marks tranches released by a settlement, or by a regulator's final release (its own id). */
  async markReleased(db: Db, trancheIds: string[], settlementId: string): Promise<void> {
    await db.query(`UPDATE reserve_tranches SET released_by = $2 WHERE id = ANY($1::uuid[])`, [trancheIds, settlementId]);
  }

  /** Newest first, of some institutions (an owner's) or districts (a regulator's). */
  page(
    db: Db,
    scope: { institutionIds: string[] } | { districtPattern: string | null },
    institutionId: string | undefined,
    limit: number,
  ): Promise<SettlementRow[]> {
    const scoped = 'institutionIds' in scope ? `s.institution_id = ANY($1::uuid[])` : `($1::text IS NULL OR s.district_code LIKE $1)`;
    return rows(
      db,
      `SELECT ${COLUMNS} FROM settlements s WHERE ${scoped} AND ($2::uuid IS NULL OR s.institution_id = $2) ORDER BY s.business_date DESC, s.institution_id LIMIT $3`,
      ['institutionIds' in scope ? scope.institutionIds : scope.districtPattern, institutionId ?? null, limit],
    );
  }
}
