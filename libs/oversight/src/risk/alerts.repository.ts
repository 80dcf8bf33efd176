import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';

export type AlertStatus = 'open' | 'resolved';

/** An alert about money refused or not moved, raised once per finding (its dedupe key). */
export interface MoneyAlert {
  districtCode: string;
  institutionId: string | null;
  kind: 'reconciliation' | 'money';
  ruleCode: string;
  evidence: Record<string, unknown>;
  dedupeKey: string;
}

/** An alert as stored: a red risk level, a reconciliation finding, or money the platform could not move. */
export interface AlertRow {
  id: string;
  institutionId: string | null;
  districtCode: string;
  kind: 'risk_red' | 'reconciliation' | 'money';
  ruleCode: string;
  severity: 'yellow' | 'red';
  evidence: Record<string, unknown>;
  status: AlertStatus;
  note: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface AlertResolution {
  id: string;
  status: AlertStatus;
  note: string | null;
  resolvedAt: Date | null;
}

const COLUMNS = `id, institution_id AS "institutionId", district_code AS "districtCode", kind, rule_code AS "ruleCode", severity, evidence, status, note,
  created_at AS "createdAt", resolved_at AS "resolvedAt"`;
const WHERE = `district_code LIKE $1 AND ($2::text IS NULL OR status = $2)`;

/** Alerts to the district's regulators. Reconciliation findings are raised by ReconciliationRepository (deduplicated by key). */
@Injectable()
export class AlertsRepository {
  /** An institution turned red; `ruleCode` lists the red rules, comma-separated. */
  async raiseRiskRed(
    db: Db,
    alert: { institutionId: string; districtCode: string; ruleCode: string; evidence: Record<string, unknown>; at: Date },
  ): Promise<string> {
    const [raised] = await rows<{ id: string }>(
      db,
      `INSERT INTO alerts (institution_id, district_code, kind, rule_code, severity, evidence, created_at) VALUES ($1, $2, 'risk_red', $3, 'red', $4, $5) RETURNING id`,
      [alert.institutionId, alert.districtCode, alert.ruleCode, alert.evidence, alert.at],
    );
    return raised.id;
  }

  /** Inserts the alert unless its finding was raised already; answers its id when new. */
  async raiseOnce(db: Db, alert: MoneyAlert, at: Date): Promise<string | undefined> {
    const [inserted] = await rows<{ id: string }>(
      db,
      `INSERT INTO alerts (institution_id, district_code, kind, rule_code, severity, evidence, dedupe_key, created_at)
       VALUES ($1, $2, $3, $4, 'red', $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [alert.institutionId, alert.districtCode, alert.kind, alert.ruleCode, alert.evidence, alert.dedupeKey, at],
    );
    return inserted?.id;
  }

  /** Newest first. */
  async page(
    db: Db,
    filter: { districtPattern: string; status: AlertStatus | null; limit: number; offset: number },
  ): Promise<{ items: AlertRow[]; total: number }> {
    const params = [filter.districtPattern, filter.status];
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM alerts WHERE ${WHERE}`, params);
    const items = await rows<AlertRow>(db, `SELECT ${COLUMNS} FROM alerts WHERE ${WHERE} ORDER BY created_at DESC LIMIT $3 OFFSET $4`, [
      ...params,
      filter.limit,
      filter.offset,
    ]);
    return { items, total: counted?.total ?? 0 };
  }

  lock(db: Db, id: string): Promise<AlertRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM alerts WHERE id = $1 ${LOCK}`, [id]);
  }

  async resolve(db: Db, id: string, by: { id: string; note: string; at: Date }): Promise<void> {
    await db.query(`UPDATE alerts SET status = 'resolved', note = $2, resolved_at = $4, resolved_by = $3 WHERE id = $1`, [id, by.note, by.id, by.at]);
  }

  resolution(db: Db, id: string): Promise<AlertResolution | undefined> {
    return firstRow(db, `SELECT id, status, note, resolved_at AS "resolvedAt" FROM alerts WHERE id = $1`, [id]);
  }
}
