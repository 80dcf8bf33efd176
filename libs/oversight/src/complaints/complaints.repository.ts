import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';
import type { ComplaintCategory } from './complaint-categories';
import type { ComplaintStatus } from './complaint-transitions';

export interface ComplaintRow {
  id: string;
  /** Null for a name that is not in the register. */
  institutionId: string | null;
  institutionName: string;
  districtCode: string;
  category: ComplaintCategory;
  description: string;
  contractId: string | null;
  /** Set when the complaint was filed for a rejected refund. */
  refundRequestId: string | null;
  status: ComplaintStatus;
  reply: string | null;
  /** When a regulator found the complaint true; null while unchecked. */
  verifiedAt: Date | null;
  /** The handling deadline (YYYY-MM-DD, Asia/Shanghai): `complaintWorkingDays` working days after filing. */
  dueOn: string | null;
  /** The institution's answer. */
  answer: string | null;
  answeredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewComplaintRow {
  parentUserId: string;
  institutionId: string | null;
  institutionName: string;
  districtCode: string;
  category: ComplaintCategory;
  description: string;
  contractId: string | null;
  refundRequestId: string | null;
  dueOn: string;
  at: Date;
}

/** A name reported as operating without a licence, with how often and how lately (the black-list watch). */
export interface ReportedUnlicensedRow {
  name: string;
  districtCode: string;
  reports: number;
  lastReportedAt: Date;
  list: 'black';
}

/** Whose complaints a list covers: a parent's own, or those of a regulator's districts. */
export type ComplaintScope = { parentUserId: string } | { districtPattern: string } | { institutionIds: string[] };

/**
 * The complaints that count in the risk rules and the public count (docs/domain.md, "Complaints"): tied
 * to the complainant's own contract, or verified by a regulator; never dismissed ones.
 */
const COUNTS = `status <> 'dismissed' AND (contract_id IS NOT NULL OR verified_at IS NOT NULL)`;

const COLUMNS = `id, institution_id AS "institutionId", institution_name AS "institutionName", district_code AS "districtCode", category, description,
  contract_id AS "contractId", refund_request_id AS "refundRequestId", status, reply, verified_at AS "verifiedAt", to_char(due_on, 'YYYY-MM-DD') AS "dueOn", answer, answered_at AS "answeredAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class ComplaintsRepository {
  /** Files a complaint; nothing (undefined) when one was filed for the same refund request already. */
  async insert(db: Db, complaint: NewComplaintRow): Promise<string | undefined> {
    const [row] = await rows<{ id: string }>(
      db,
      `INSERT INTO complaints (parent_user_id, institution_id, institution_name, district_code, category, description, contract_id, refund_request_id, due_on, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $9, $9) ON CONFLICT (refund_request_id) DO NOTHING RETURNING id`,
      [
        complaint.parentUserId,
        complaint.institutionId,
        complaint.institutionName,
        complaint.districtCode,
        complaint.category,
        complaint.description,
        complaint.contractId,
        complaint.refundRequestId,
        complaint.at,
        complaint.dueOn,
      ],
    );
    return row?.id;
  }

  byId(db: Db, id: string): Promise<ComplaintRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM complaints WHERE id = $1`, [id]);
  }

  lock(db: Db, id: string): Promise<ComplaintRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM complaints WHERE id = $1 ${LOCK}`, [id]);
  }

  /** Moves the complaint to `to` with the regulator's reply, and keeps the reply in its history. */
  async reply(
    db: Db,
    complaint: Pick<ComplaintRow, 'id' | 'status'>,
    change: { to: ComplaintStatus; reply: string; actorId: string; at: Date },
  ): Promise<void> {
    await db.query(
      `UPDATE complaints SET status = $2, reply = $3, updated_at = $4, verified_at = CASE WHEN $2 = 'verified' THEN $4 ELSE verified_at END WHERE id = $1`,
      [complaint.id, change.to, change.reply, change.at],
    );
    await db.query(`INSERT INTO complaint_replies (complaint_id, from_status, to_status, reply, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      complaint.id,
      complaint.status,
      change.to,
      change.reply,
      change.actorId,
      change.at,
    ]);
  }

  /** The institution's answer; a later answer replaces an earlier one. */
  async answer(db: Db, id: string, answer: string, at: Date): Promise<void> {
    await db.query(`UPDATE complaints SET answer = $2, answered_at = $3, updated_at = $3 WHERE id = $1`, [id, answer, at]);
  }

  /** How many complaints the parent filed at or after `since`. */
  async countFiledSince(db: Db, parentUserId: string, since: Date): Promise<number> {
    return (await firstRow<{ count: number }>(db, `SELECT count(*)::int AS count FROM complaints WHERE parent_user_id = $1 AND created_at >= $2`, [
      parentUserId,
      since,
    ]))!.count;
  }

  /** Newest first. */
  async page(
    db: Db,
    filter: { scope: ComplaintScope; status: ComplaintStatus | null; limit: number; offset: number },
  ): Promise<{ items: ComplaintRow[]; total: number }> {
    const [scope, scopeParam]: [string, string | string[]] =
      'parentUserId' in filter.scope
        ? ['parent_user_id = $1', filter.scope.parentUserId]
        : 'institutionIds' in filter.scope
          ? ['institution_id = ANY($1::uuid[])', filter.scope.institutionIds]
          : ['district_code LIKE $1', filter.scope.districtPattern];
    const where = `${scope} AND ($2::text IS NULL OR status = $2)`;
    const params = [scopeParam, filter.status];
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM complaints WHERE ${where}`, params);
    const items = await rows<ComplaintRow>(db, `SELECT ${COLUMNS} FROM complaints WHERE ${where} ORDER BY created_at DESC LIMIT $3 OFFSET $4`, [
      ...params,
      filter.limit,
      filter.offset,
    ]);
    return { items, total: counted?.total ?? 0 };
  }

  /** Complaints about one institution in the 12 months before `now` that count (see COUNTS). */
  async countLast12Months(db: Db, institutionId: string, now: Date): Promise<number> {
    const counted = await firstRow<{ count: number }>(
      db,
      `SELECT count(*)::int AS count FROM complaints WHERE institution_id = $1 AND created_at >= $2::timestamptz - interval '12 months' AND ${COUNTS}`,
      [institutionId, now],
    );
    return counted?.count ?? 0;
  }

  /** Complaints per institution since `since` that count (see COUNTS); no row for an institution with none. */
  countsSince(db: Db, institutionIds: string[], since: Date): Promise<Array<{ institutionId: string; count: number }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", count(*)::int AS count FROM complaints
       WHERE institution_id = ANY($1::uuid[]) AND created_at >= $2 AND ${COUNTS} GROUP BY institution_id`,
      [institutionIds, since],
    );
  }

  /**
   * Names reported as unlicensed whose character bigrams contain the query's, most reported first. Only
   * reports a regulator verified: an unchecked report must not put a name on the public black list.
   */
  reportedUnlicensed(db: Db, q: string): Promise<ReportedUnlicensedRow[]> {
    return rows(
      db,
      `SELECT institution_name AS name, district_code AS "districtCode", count(*)::int AS reports, max(created_at) AS "lastReportedAt", 'black' AS list
       FROM complaints WHERE institution_id IS NULL AND category = 'unlicensed' AND status <> 'dismissed' AND verified_at IS NOT NULL
         AND name_grams(institution_name) @> name_grams($1)
       GROUP BY institution_name, district_code ORDER BY reports DESC LIMIT 20`,
      [q],
    );
  }
}
