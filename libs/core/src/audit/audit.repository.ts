import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '../database/sql';

/** One regulator action or money movement, as stored. The database refuses UPDATE and DELETE on audit_log. */
export interface AuditEntryRow {
  id: string;
  at: Date;
  actorId: string | null;
  actorRole: string;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  requestId: string | null;
  /** The district the target belongs to, so a regulator's audit view can be scoped. */
  districtCode: string | null;
  details: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntryRow, 'id'>;

const COLUMNS = `id::text, at, actor_id AS "actorId", actor_role AS "actorRole", action, target_type AS "targetType", target_id AS "targetId",
  reason, request_id AS "requestId", district_code AS "districtCode", details`;

@Injectable()
export class AuditRepository {
  async insert(db: Db, entry: NewAuditEntry): Promise<void> {
    await db.query(
      `INSERT INTO audit_log (at, actor_id, actor_role, action, target_type, target_id, reason, request_id, district_code, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        entry.at,
        entry.actorId,
        entry.actorRole,
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.reason,
        entry.requestId,
        entry.districtCode,
        entry.details,
      ],
    );
  }

  /** Newest first; `districtPattern` (a LIKE pattern; null for everything) limits it to a scope, `targetId` to one target. */
  async page(
    db: Db,
    filter: { districtPattern: string | null; targetId?: string; limit: number; offset: number },
  ): Promise<{ items: AuditEntryRow[]; total: number }> {
    const where = `($1::text IS NULL OR district_code LIKE $1) AND ($2::text IS NULL OR target_id = $2)`;
    const params = [filter.districtPattern, filter.targetId ?? null];
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM audit_log WHERE ${where}`, params);
    const items = await rows<AuditEntryRow>(db, `SELECT ${COLUMNS} FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT $3 OFFSET $4`, [
      ...params,
      filter.limit,
      filter.offset,
    ]);
    return { items, total: counted?.total ?? 0 };
  }
}
