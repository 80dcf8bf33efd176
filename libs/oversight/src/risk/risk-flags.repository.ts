import { Injectable } from '@nestjs/common';
import { Db, rows } from '@app/core';
import type { Severity } from './risk-rule';

export interface RiskFlagRow {
  institutionId: string;
  ruleCode: string;
  severity: Severity;
  evidence: Record<string, unknown>;
}

/** An open flag as a regulator's list shows it; `openedAt` is written by the database's JSON. */
export interface OpenFlagView {
  ruleCode: string;
  severity: Severity;
  evidence: Record<string, unknown>;
  openedAt: string;
}

const COLUMNS = `institution_id AS "institutionId", rule_code AS "ruleCode", severity, evidence`;

/** Flags: one open per institution and rule (unique index), closed by the evaluation or resolved by a regulator. */
@Injectable()
export class RiskFlagsRepository {
  openOf(db: Db, institutionIds: string[]): Promise<RiskFlagRow[]> {
    return rows(db, `SELECT ${COLUMNS} FROM risk_flags WHERE status = 'open' AND institution_id = ANY($1::uuid[])`, [institutionIds]);
  }

  /** The latest resolved flag per institution and rule: the evidence a regulator accepted. */
  lastResolvedOf(db: Db, institutionIds: string[]): Promise<RiskFlagRow[]> {
    return rows(
      db,
      `SELECT DISTINCT ON (institution_id, rule_code) ${COLUMNS} FROM risk_flags
       WHERE status = 'resolved' AND institution_id = ANY($1::uuid[]) ORDER BY institution_id, rule_code, closed_at DESC`,
      [institutionIds],
    );
  }

  /** Opens a flag; nothing when one is open already. */
  async open(db: Db, flag: RiskFlagRow, at: Date): Promise<void> {
    await db.query(`INSERT INTO risk_flags (institution_id, rule_code, severity, evidence, opened_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
      flag.institutionId,
      flag.ruleCode,
      flag.severity,
      flag.evidence,
      at,
    ]);
  }

  /** The open flag follows its rule's latest finding. */
  async follow(db: Db, flag: RiskFlagRow): Promise<void> {
    await db.query(`UPDATE risk_flags SET severity = $3, evidence = $4 WHERE institution_id = $1 AND rule_code = $2 AND status = 'open'`, [
      flag.institutionId,
      flag.ruleCode,
      flag.severity,
      flag.evidence,
    ]);
  }

  /** The condition ended: the open flag closes by itself. */
  async close(db: Db, institutionId: string, ruleCode: string, at: Date): Promise<void> {
    await db.query(`UPDATE risk_flags SET status = 'closed', closed_at = $3 WHERE institution_id = $1 AND rule_code = $2 AND status = 'open'`, [
      institutionId,
      ruleCode,
      at,
    ]);
  }

  /** A regulator resolves the open flags of these rules, with a note. */
  async resolve(db: Db, institutionId: string, ruleCodes: string[], by: { id: string; note: string; at: Date }): Promise<void> {
    await db.query(
      `UPDATE risk_flags SET status = 'resolved', closed_at = $5, closed_by = $2, close_note = $3 WHERE institution_id = $1 AND status = 'open' AND rule_code = ANY($4::text[])`,
      [institutionId, by.id, by.note, ruleCodes, by.at],
    );
  }

  async openSeverities(db: Db, institutionId: string): Promise<Severity[]> {
    const found = await rows<{ severity: Severity }>(db, `SELECT severity FROM risk_flags WHERE institution_id = $1 AND status = 'open'`, [institutionId]);
    return found.map((row) => row.severity);
  }

  /** The open flags of each institution, oldest first. */
  openViews(db: Db, institutionIds: string[]): Promise<Array<{ institutionId: string; flags: OpenFlagView[] }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId",
              json_agg(json_build_object('ruleCode', rule_code, 'severity', severity, 'evidence', evidence, 'openedAt', opened_at) ORDER BY opened_at) AS flags
       FROM risk_flags WHERE status = 'open' AND institution_id = ANY($1::uuid[]) GROUP BY institution_id`,
      [institutionIds],
    );
  }
}
