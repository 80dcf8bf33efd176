import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';
import type { RiskLevel } from '../institutions/institutions.repository';
import type { InstitutionStatus } from '../licence/licence-state-machine';

export interface RiskLevelRow {
  id: string;
  districtCode: string;
  riskLevel: RiskLevel;
}

export interface InstitutionRiskRow {
  id: string;
  name: string;
  districtCode: string;
  status: InstitutionStatus;
  level: RiskLevel;
  evaluatedAt: Date | null;
}

export interface RiskLevelFilter {
  /** A LIKE pattern of district codes (docs/architecture.md, "Scope"). */
  districtPattern: string;
  statuses: readonly InstitutionStatus[];
  level: RiskLevel | null;
  limit: number;
  offset: number;
}

const WHERE = `district_code LIKE $1 AND status = ANY($2::text[]) AND ($3::text IS NULL OR risk_level = $3)`;

/** The risk columns of `institutions`: the level the public list reads, and when it was last evaluated. */
@Injectable()
export class RiskLevelsRepository {
  /** Locks the rows in id order, so two evaluations of the same institutions queue instead of racing. */
  lock(db: Db, ids: string[]): Promise<RiskLevelRow[]> {
    return rows(db, `SELECT id, district_code AS "districtCode", risk_level AS "riskLevel" FROM institutions WHERE id = ANY($1::uuid[]) ORDER BY id ${LOCK}`, [
      ids,
    ]);
  }

  /** Every level of a batch in one statement: one UPDATE per institution took a third to a half of the scan in bench/risk. */
  async record(db: Db, ids: string[], levels: RiskLevel[], at: Date): Promise<void> {
    await db.query(
      `UPDATE institutions i SET risk_level = l.level, risk_evaluated_at = $3 FROM unnest($1::uuid[], $2::text[]) AS l(id, level) WHERE i.id = l.id`,
      [ids, levels, at],
    );
  }

  async set(db: Db, id: string, level: RiskLevel): Promise<void> {
    await db.query(`UPDATE institutions SET risk_level = $2 WHERE id = $1`, [id, level]);
  }

  /** Red first, then yellow, then green; by name within a level. */
  async page(db: Db, filter: RiskLevelFilter): Promise<{ items: InstitutionRiskRow[]; total: number }> {
    const params = [filter.districtPattern, filter.statuses, filter.level];
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM institutions WHERE ${WHERE}`, params);
    const items = await rows<InstitutionRiskRow>(
      db,
      `SELECT id, name, district_code AS "districtCode", status, risk_level AS level, risk_evaluated_at AS "evaluatedAt" FROM institutions WHERE ${WHERE}
       ORDER BY CASE risk_level WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, name LIMIT $4 OFFSET $5`,
      [...params, filter.limit, filter.offset],
    );
    return { items, total: counted?.total ?? 0 };
  }
}
