import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, OutboxService, Principal, canSeeDistrict, districtLikePattern, notFound, transitionOrThrow } from '@app/core';
import { DataSource } from 'typeorm';
import { COMPLAINT_TRANSITIONS, ComplaintAction, ComplaintStatus } from './complaint-transitions';

export const COMPLAINT_CATEGORIES = ['refund_refused', 'lessons_not_delivered', 'safety', 'unlicensed', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export interface NewComplaint {
  institutionId?: string;
  institutionName?: string;
  districtCode?: string;
  category: ComplaintCategory;
  description: string;
  contractId?: string;
}

const SELECT_COMPLAINT = `SELECT k.id, k.institution_id AS "institutionId", k.institution_name AS "institutionName", k.district_code AS "districtCode", k.category,
  k.description, k.contract_id AS "contractId", k.refund_request_id AS "refundRequestId", k.status, k.reply, k.created_at AS "createdAt", k.updated_at AS "updatedAt"
  FROM complaints k`;

@Injectable()
export class ComplaintsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** A parent complains about a registered institution, or about a name that is not in the register. */
  async file(parent: Principal, complaint: NewComplaint) {
    const { institutionName, districtCode } = await this.subjectOf(complaint);
    const [served] = await this.dataSource.query(`SELECT 1 FROM districts WHERE code = $1 AND city_code IS NOT NULL`, [districtCode]);
    if (!served)
      throw new DomainError(422, 'REFERENCE.UNKNOWN_DISTRICT', `${districtCode} is not a district the platform serves.`, {
        errors: [{ field: 'districtCode', message: 'unknown district' }],
      });
    if (complaint.contractId) {
      const [own] = await this.dataSource.query(`SELECT 1 FROM contracts WHERE id = $1 AND parent_user_id = $2`, [complaint.contractId, parent.id]);
      if (!own) throw notFound('The contract', 'CONTRACT.NOT_FOUND');
    }
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `INSERT INTO complaints (parent_user_id, institution_id, institution_name, district_code, category, description, contract_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
        [
          parent.id,
          complaint.institutionId ?? null,
          institutionName,
          districtCode,
          complaint.category,
          complaint.description,
          complaint.contractId ?? null,
          this.clock.now(),
        ],
      );
      await this.outbox.add(manager, 'complaint.filed', {
        complaintId: row.id,
        institutionId: complaint.institutionId ?? undefined,
        districtCode,
        category: complaint.category,
      });
      const [created] = await manager.query(`${SELECT_COMPLAINT} WHERE k.id = $1`, [row.id]);
      return created;
    });
  }

  /** The registered institution complained about, or the name and district given for one not in the register. */
  private async subjectOf(complaint: NewComplaint): Promise<{ institutionName: string; districtCode: string }> {
    if (complaint.institutionId) {
      const [institution] = await this.dataSource.query(
        `SELECT name AS "institutionName", district_code AS "districtCode" FROM institutions WHERE id = $1 AND status IN ('licensed', 'suspended', 'revoked', 'expired', 'closed')`,
        [complaint.institutionId],
      );
      if (!institution) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
      return institution;
    }
    const institutionName = complaint.institutionName?.trim();
    if (!institutionName || !complaint.districtCode) {
      throw new DomainError(422, 'COMPLAINT.INSTITUTION_REQUIRED', 'Name the institution: its id, or for one not in the register its name and district.', {
        errors: [{ field: 'institutionName', message: 'required without institutionId, with districtCode' }],
      });
    }
    return { institutionName, districtCode: complaint.districtCode };
  }

  /** A refund the institution rejected goes to the regulators as a complaint, once. */
  async fromRejectedRefund(refundRequestId: string, reason: string): Promise<boolean> {
    const inserted = await this.dataSource.query(
      `INSERT INTO complaints (parent_user_id, institution_id, institution_name, district_code, category, description, contract_id, refund_request_id, created_at, updated_at)
       SELECT c.parent_user_id, i.id, i.name, i.district_code, 'refund_refused', $2, c.id, r.id, $3, $3
       FROM refund_requests r JOIN contracts c ON c.id = r.contract_id JOIN institutions i ON i.id = r.institution_id
       WHERE r.id = $1 AND r.status = 'rejected'
       ON CONFLICT (refund_request_id) DO NOTHING RETURNING id`,
      [refundRequestId, `退费被拒：${reason}`, this.clock.now()],
    );
    return inserted.length > 0;
  }

  async list(principal: Principal, filter: { status?: ComplaintStatus; page: number; pageSize: number }) {
    const scope = principal.role === 'parent' ? `k.parent_user_id = $1` : `k.district_code LIKE $1`;
    const params = [principal.role === 'parent' ? principal.id : (districtLikePattern(principal) ?? '-'), filter.status ?? null];
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM complaints k WHERE ${scope} AND ($2::text IS NULL OR k.status = $2)`,
      params,
    );
    const items = await this.dataSource.query(
      `${SELECT_COMPLAINT} WHERE ${scope} AND ($2::text IS NULL OR k.status = $2) ORDER BY k.created_at DESC LIMIT $3 OFFSET $4`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  async transition(regulator: Principal, id: string, action: ComplaintAction, reply: string) {
    return this.dataSource.transaction(async (manager) => {
      const [complaint] = await manager.query(`${SELECT_COMPLAINT} WHERE k.id = $1 FOR UPDATE`, [id]);
      if (!complaint || !canSeeDistrict(regulator, complaint.districtCode)) throw notFound('The complaint', 'COMPLAINT.NOT_FOUND');
      const to = transitionOrThrow(COMPLAINT_TRANSITIONS, action, complaint.status, 'regulator', {
        code: 'COMPLAINT.INVALID_TRANSITION',
        subject: 'a complaint',
      });
      const now = this.clock.now();
      await manager.query(`UPDATE complaints SET status = $2, reply = $3, updated_at = $4 WHERE id = $1`, [id, to, reply, now]);
      await manager.query(`INSERT INTO complaint_replies (complaint_id, from_status, to_status, reply, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)`, [
        id,
        complaint.status,
        to,
        reply,
        regulator.id,
        now,
      ]);
      await this.audit.record(manager, {
        action: `complaint.${to}`,
        targetType: 'complaint',
        targetId: id,
        reason: reply,
        districtCode: complaint.districtCode,
      });
      await this.outbox.add(manager, 'complaint.updated', { complaintId: id, institutionId: complaint.institutionId ?? undefined, status: to });
      const [updated] = await manager.query(`${SELECT_COMPLAINT} WHERE k.id = $1`, [id]);
      return updated;
    });
  }

  /** Complaints of the last 12 months, as parents see the count on the public page. */
  async countLast12Months(institutionId: string): Promise<number> {
    const [{ count }] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM complaints WHERE institution_id = $1 AND created_at >= $2::timestamptz - interval '12 months' AND status <> 'dismissed'`,
      [institutionId, this.clock.now()],
    );
    return count;
  }

  /** Names reported as operating without a licence (the black-list watch), matching a search. */
  async reportedUnlicensed(q: string) {
    return this.dataSource.query(
      `SELECT institution_name AS name, district_code AS "districtCode", count(*)::int AS reports, max(created_at) AS "lastReportedAt", 'black' AS list
       FROM complaints WHERE institution_id IS NULL AND category = 'unlicensed' AND status <> 'dismissed' AND name_grams(institution_name) @> name_grams($1)
       GROUP BY institution_name, district_code ORDER BY reports DESC LIMIT 20`,
      [q],
    );
  }
}
