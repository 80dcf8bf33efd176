import { Injectable, Logger } from '@nestjs/common';
import { AuditService, Clock, DomainError, OutboxService, Principal, canSeeDistrict, checkTransition, conflict, districtLikePattern, notFound, transitionOrThrow, unprocessable } from '@app/core';
import { DistrictPolicyService } from '@app/registry';
import { DataSource, EntityManager } from 'typeorm';
import { addMonths, monthInstants, monthOf, reportDueDate } from './report-month';
import { REPORT_TRANSITIONS, ReportStatus } from './report-transitions';

/** The figures of a monthly operating report (DESIGN §7), in the order clients show them. */
export const REPORT_FIGURES = ['students', 'newContracts', 'lessonsDelivered', 'prepaidCollectedFen', 'refundsFen', 'teachers', 'fullTimeTeachers'] as const;
export type ReportFigure = (typeof REPORT_FIGURES)[number];
export type ReportFigures = Record<ReportFigure, number>;


/** Institutions that owe monthly reports: the ones operating under a licence, suspended or not. */
const REPORTING_STATUSES = ['licensed', 'suspended'];

export interface ReportFiling extends ReportFigures {
  month: string;
  institutionId?: string;
}

export interface Discrepancy {
  field: ReportFigure;
  filed: number;
  computed: number;
}

interface ReportRow extends Record<ReportFigure, number | null> {
  id: string;
  institutionId: string;
  institutionName: string;
  districtCode: string;
  month: string;
  status: ReportStatus;
  late: boolean;
  filedAt: Date | null;
  reviewedAt: Date | null;
  reviewerId: string | null;
  reviewNote: string | null;
  createdAt: Date;
}

interface OwnedInstitution {
  id: string;
  name: string;
  districtCode: string;
  status: string;
}

const SELECT_REPORT = `SELECT r.id, r.institution_id AS "institutionId", i.name AS "institutionName", r.district_code AS "districtCode", r.month,
  r.students, r.new_contracts AS "newContracts", r.lessons_delivered AS "lessonsDelivered", r.prepaid_collected_fen AS "prepaidCollectedFen",
  r.refunds_fen AS "refundsFen", r.teachers, r.full_time_teachers AS "fullTimeTeachers", r.status, r.late, r.filed_at AS "filedAt",
  r.reviewed_at AS "reviewedAt", r.reviewer_id AS "reviewerId", r.review_note AS "reviewNote", r.created_at AS "createdAt"
  FROM monthly_reports r JOIN institutions i ON i.id = r.institution_id`;

/**
 * Monthly operating reports: filing (one per institution and month, replaceable until accepted), the
 * figures the platform computes from the ledger and the registry, review, and the overdue sweep.
 */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly policies: DistrictPolicyService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * Files (or re-files) the report of one of the owner's institutions. A report replaces the earlier
   * filing of the same month unless that one was accepted. It is late when filed after the due day, or
   * over an 'overdue' row; a corrected filing keeps the lateness of the first.
   */
  async file(owner: Principal, filing: ReportFiling) {
    const institution = await this.resolveInstitution(owner, filing.institutionId);
    this.assertReportableMonth(filing.month);
    if (filing.fullTimeTeachers > filing.teachers) {
      throw unprocessable('REPORT.INCONSISTENT_FIGURES', 'There cannot be more full-time teachers than teachers.', {
        errors: [{ field: 'fullTimeTeachers', message: 'must not exceed teachers' }],
      });
    }
    const policy = await this.policies.policyOf(institution.districtCode);
    const dueDate = reportDueDate(filing.month, policy.reportDueDay);
    const lateByDate = this.clock.today() > dueDate;
    const figures = REPORT_FIGURES.map((field) => filing[field]);
    return this.dataSource.transaction(async (manager) => {
      const [existing]: Array<{ id: string; status: ReportStatus }> = await manager.query(
        `SELECT id, status FROM monthly_reports WHERE institution_id = $1 AND month = $2 FOR UPDATE`,
        [institution.id, filing.month],
      );
      if (!checkTransition(REPORT_TRANSITIONS, 'file', existing?.status ?? 'absent', 'institution').ok) throw this.alreadyAccepted(existing?.id);
      const [saved]: Array<{ id: string; late: boolean }> = await manager.query(
        `INSERT INTO monthly_reports (institution_id, district_code, month, students, new_contracts, lessons_delivered, prepaid_collected_fen, refunds_fen,
                                      teachers, full_time_teachers, status, late, filed_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'filed', $11, $12, $12)
         ON CONFLICT (institution_id, month) DO UPDATE SET
           students = EXCLUDED.students, new_contracts = EXCLUDED.new_contracts, lessons_delivered = EXCLUDED.lessons_delivered,
           prepaid_collected_fen = EXCLUDED.prepaid_collected_fen, refunds_fen = EXCLUDED.refunds_fen, teachers = EXCLUDED.teachers,
           full_time_teachers = EXCLUDED.full_time_teachers, status = 'filed', filed_at = EXCLUDED.filed_at, reviewed_at = NULL, reviewer_id = NULL, review_note = NULL,
           late = CASE WHEN monthly_reports.status = 'overdue' THEN true ELSE monthly_reports.late END
         WHERE monthly_reports.status <> 'accepted'
         RETURNING id, late`,
        [institution.id, institution.districtCode, filing.month, ...figures, lateByDate, this.clock.now()],
      );
      // Accepted between our read and our write (only possible for a row that did not exist yet).
      if (!saved) throw this.alreadyAccepted(existing?.id);
      await this.audit.record(manager, {
        action: 'report.filed',
        targetType: 'monthly_report',
        targetId: saved.id,
        districtCode: institution.districtCode,
        details: { institutionId: institution.id, month: filing.month, late: saved.late, replaced: existing?.status ?? null },
      });
      await this.outbox.add(manager, 'report.filed', { institutionId: institution.id, reportId: saved.id, month: filing.month, late: saved.late });
      return this.view(manager, saved.id);
    });
  }

  /** The figures the platform knows for one of the owner's institutions and a month, to pre-fill the form. */
  async prefill(owner: Principal, month: string, institutionId?: string) {
    const institution = await this.resolveInstitution(owner, institutionId);
    this.assertReportableMonth(month);
    const [{ institutionId: _id, month: _month, ...figures }] = await this.computeFigures(this.dataSource.manager, [{ institutionId: institution.id, month }]);
    return { institutionId: institution.id, institutionName: institution.name, month, ...figures };
  }

  /** Reports the caller may see: an owner its institutions', a regulator its districts'. Each with its discrepancies. */
  async list(principal: Principal, filter: { month?: string; status?: ReportStatus; institutionId?: string; page: number; pageSize: number }) {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (principal.role === 'institution') where.push(`i.owner_user_id = ${param(principal.id)}`);
    else where.push(`r.district_code LIKE ${param(districtLikePattern(principal) ?? '-')}`);
    if (filter.month) where.push(`r.month = ${param(filter.month)}`);
    if (filter.status) where.push(`r.status = ${param(filter.status)}`);
    if (filter.institutionId) where.push(`r.institution_id = ${param(filter.institutionId)}`);
    const clause = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM monthly_reports r JOIN institutions i ON i.id = r.institution_id ${clause}`, params);
    const rows: ReportRow[] = await this.dataSource.query(
      `${SELECT_REPORT} ${clause} ORDER BY r.month DESC, i.name, r.id LIMIT ${param(filter.pageSize)} OFFSET ${param((filter.page - 1) * filter.pageSize)}`,
      params,
    );
    return { items: await this.withDiscrepancies(this.dataSource.manager, rows), total, page: filter.page, pageSize: filter.pageSize };
  }

  async get(principal: Principal, id: string) {
    const row = await this.findVisible(this.dataSource.manager, principal, id);
    const [item] = await this.withDiscrepancies(this.dataSource.manager, [row]);
    return item;
  }

  /** A regulator in scope accepts or returns a filed report. Accepted is final; returned waits for a new filing. */
  async review(regulator: Principal, id: string, decision: 'accept' | 'return', note: string | null) {
    return this.dataSource.transaction(async (manager) => {
      const report = await this.findVisible(manager, regulator, id, true);
      const status = transitionOrThrow(REPORT_TRANSITIONS, decision, report.status, 'regulator', { code: 'REPORT.INVALID_STATE', subject: 'the report' });
      await manager.query(`UPDATE monthly_reports SET status = $2, reviewed_at = $5, reviewer_id = $3, review_note = $4 WHERE id = $1`, [
        id,
        status,
        regulator.id,
        note,
        this.clock.now(),
      ]);
      await this.audit.record(manager, {
        action: `report.${status}`,
        targetType: 'monthly_report',
        targetId: id,
        reason: note,
        districtCode: report.districtCode,
        details: { institutionId: report.institutionId, month: report.month },
      });
      await this.outbox.add(manager, 'report.reviewed', { institutionId: report.institutionId, reportId: id, month: report.month, decision });
      return this.view(manager, id);
    });
  }

  /**
   * After the district's due day, every licensed or suspended institution that has no report for the
   * previous month gets an 'overdue' row (which the risk rules read), audited as the system, with a
   * 'report.overdue' event. Institutions first licensed after that month ended owe nothing for it.
   * INSERT … ON CONFLICT DO NOTHING: a second run (or a filing in between) adds nothing.
   */
  async markOverdue(businessDate?: string): Promise<{ businessDate: string; month: string; marked: Array<{ reportId: string; institutionId: string }> }> {
    const today = businessDate ?? this.clock.today();
    const month = addMonths(monthOf(today), -1);
    const day = Number(today.slice(8, 10));
    const { to: monthEnd } = monthInstants(month);
    const districts: Array<{ districtCode: string }> = await this.dataSource.query(
      `SELECT DISTINCT district_code AS "districtCode" FROM institutions WHERE status = ANY($1::text[]) ORDER BY 1`,
      [REPORTING_STATUSES],
    );
    const marked: Array<{ reportId: string; institutionId: string }> = [];
    for (const { districtCode } of districts) {
      const policy = await this.policies.policyOf(districtCode);
      if (day <= policy.reportDueDay) continue;
      await this.dataSource.transaction(async (manager) => {
        const inserted: Array<{ id: string; institutionId: string }> = await manager.query(
          `INSERT INTO monthly_reports (institution_id, district_code, month, status, created_at)
           SELECT i.id, i.district_code, $2, 'overdue', $5 FROM institutions i
           WHERE i.district_code = $1 AND i.status = ANY($4::text[])
             AND EXISTS (SELECT 1 FROM institution_events e WHERE e.institution_id = i.id AND e.action = 'approve' AND e.at < $3)
             AND NOT EXISTS (SELECT 1 FROM monthly_reports r WHERE r.institution_id = i.id AND r.month = $2)
           ORDER BY i.id
           ON CONFLICT (institution_id, month) DO NOTHING
           RETURNING id, institution_id AS "institutionId"`,
          [districtCode, month, monthEnd, REPORTING_STATUSES, this.clock.now()],
        );
        for (const row of inserted) {
          await this.audit.record(manager, {
            action: 'report.overdue',
            targetType: 'monthly_report',
            targetId: row.id,
            districtCode,
            reason: `no report for ${month} by day ${policy.reportDueDay}`,
            details: { institutionId: row.institutionId, month },
            actor: { id: null, role: 'system' },
          });
          await this.outbox.add(manager, 'report.overdue', { institutionId: row.institutionId, reportId: row.id, month });
          marked.push({ reportId: row.id, institutionId: row.institutionId });
        }
      });
    }
    if (marked.length) this.logger.log(`${marked.length} reports for ${month} marked overdue`);
    return { businessDate: today, month, marked };
  }

  /**
   * What the ledger and the registry say for each (institution, month), months taken in Shanghai time:
   * - students: distinct (parent, student name) over the contracts signed before the month ended and
   *   not refunded before it began (a contract is treated as running from signature to refund);
   * - newContracts: contracts signed in the month; lessonsDelivered: lessons (roll calls) starting in it;
   * - prepaidCollectedFen: payments received in it; refundsFen: refund transfers out of escrow in it;
   * - teachers, fullTimeTeachers: the teachers on file now (the register keeps no history of them).
   */
  async computeFigures(manager: EntityManager, wanted: Array<{ institutionId: string; month: string }>): Promise<Array<ReportFigures & { institutionId: string; month: string }>> {
    if (!wanted.length) return [];
    const spans = wanted.map(({ month }) => monthInstants(month));
    return manager.query(
      `SELECT w.institution_id AS "institutionId", w.month,
         (SELECT count(*) FROM (SELECT DISTINCT c.parent_user_id, c.student_name FROM contracts c
            WHERE c.institution_id = w.institution_id AND c.created_at < w.to_at
              AND NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.contract_id = c.id AND t.code = 'refund' AND t.created_at < w.from_at)) s)::int AS students,
         (SELECT count(*) FROM contracts c WHERE c.institution_id = w.institution_id AND c.created_at >= w.from_at AND c.created_at < w.to_at)::int AS "newContracts",
         (SELECT count(*) FROM lessons l WHERE l.institution_id = w.institution_id AND l.starts_at >= w.from_at AND l.starts_at < w.to_at)::int AS "lessonsDelivered",
         (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p JOIN contracts c ON c.id = p.contract_id
            WHERE c.institution_id = w.institution_id AND p.created_at >= w.from_at AND p.created_at < w.to_at)::bigint AS "prepaidCollectedFen",
         (SELECT coalesce(sum(t.amount), 0) FROM ledger_transfers t JOIN contracts c ON c.id = t.contract_id
            WHERE c.institution_id = w.institution_id AND t.code = 'refund' AND t.created_at >= w.from_at AND t.created_at < w.to_at)::bigint AS "refundsFen",
         (SELECT count(*) FROM teachers te WHERE te.institution_id = w.institution_id)::int AS teachers,
         (SELECT count(*) FROM teachers te WHERE te.institution_id = w.institution_id AND te.full_time)::int AS "fullTimeTeachers"
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS w(institution_id, month, from_at, to_at, n)
       ORDER BY w.n`,
      [wanted.map((w) => w.institutionId), wanted.map((w) => w.month), spans.map((s) => s.from), spans.map((s) => s.to)],
    );
  }

  /** Every filed figure that differs from the computed one; nothing for an overdue row (nothing was filed). */
  static discrepancies(filed: Partial<Record<ReportFigure, number | null>>, computed: ReportFigures): Discrepancy[] {
    return REPORT_FIGURES.filter((field) => filed[field] !== null && filed[field] !== undefined && filed[field] !== computed[field]).map((field) => ({
      field,
      filed: filed[field] as number,
      computed: computed[field],
    }));
  }

  private async withDiscrepancies(manager: EntityManager, rows: ReportRow[]) {
    const computed = await this.computeFigures(manager, rows.map((row) => ({ institutionId: row.institutionId, month: row.month })));
    return rows.map((row, index) => ({ ...row, discrepancies: row.status === 'overdue' ? [] : ReportsService.discrepancies(row, computed[index]) }));
  }

  /** The owner's institution that the report is for: the one named, or the only licensed one it holds. */
  private async resolveInstitution(owner: Principal, institutionId?: string): Promise<OwnedInstitution> {
    const owned: OwnedInstitution[] = await this.dataSource.query(
      `SELECT id, name, district_code AS "districtCode", status FROM institutions WHERE owner_user_id = $1 AND ($2::uuid IS NULL OR id = $2) ORDER BY created_at, id`,
      [owner.id, institutionId ?? null],
    );
    if (institutionId) {
      const [institution] = owned;
      if (!institution) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
      if (!REPORTING_STATUSES.includes(institution.status)) {
        throw conflict('LICENCE.NOT_LICENSED', `Monthly reports are filed by licensed institutions; this one is ${institution.status}.`, { currentStatus: institution.status });
      }
      return institution;
    }
    const reporting = owned.filter((institution) => REPORTING_STATUSES.includes(institution.status));
    if (reporting.length === 1) return reporting[0];
    if (!reporting.length) throw unprocessable('REPORT.NO_LICENSED_INSTITUTION', 'The account holds no licensed institution to report for.');
    throw unprocessable('REPORT.INSTITUTION_REQUIRED', 'The account holds more than one licensed institution: say which one with institutionId.', {
      errors: [{ field: 'institutionId', message: 'required when the account holds more than one licensed institution' }],
      institutions: reporting.map(({ id, name }) => ({ id, name })),
    });
  }

  /** A report covers a month that has begun: this one or an earlier one. */
  private assertReportableMonth(month: string): void {
    const current = monthOf(this.clock.today());
    if (month > current) {
      throw unprocessable('REPORT.FUTURE_MONTH', `A report can be filed for ${current} or an earlier month, not ${month}.`, {
        errors: [{ field: 'month', message: 'must be the current or an earlier month' }],
      });
    }
  }

  private async findVisible(manager: EntityManager, principal: Principal, id: string, lock = false): Promise<ReportRow> {
    const [row]: ReportRow[] = await manager.query(`${SELECT_REPORT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
    if (!row || !(await this.canSee(manager, principal, row))) throw notFound('The report', 'REPORT.NOT_FOUND');
    return row;
  }

  private async canSee(manager: EntityManager, principal: Principal, row: ReportRow): Promise<boolean> {
    if (principal.role === 'institution') {
      const [owned] = await manager.query(`SELECT 1 FROM institutions WHERE id = $1 AND owner_user_id = $2`, [row.institutionId, principal.id]);
      return Boolean(owned);
    }
    return canSeeDistrict(principal, row.districtCode);
  }

  private alreadyAccepted(reportId?: string): DomainError {
    return conflict('REPORT.ALREADY_ACCEPTED', 'The report of this month was accepted: it can no longer be replaced.', { reportId, currentStatus: 'accepted' });
  }

  private async view(manager: EntityManager, id: string) {
    const rows: ReportRow[] = await manager.query(`${SELECT_REPORT} WHERE r.id = $1`, [id]);
    const [item] = await this.withDiscrepancies(manager, rows);
    return item;
  }
}
