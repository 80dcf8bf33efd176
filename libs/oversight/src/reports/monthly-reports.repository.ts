import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';
import { REPORT_FIGURES, ReportFigure, ReportFigures } from './report-figures';
import type { ReportStatus } from './report-transitions';

/** A monthly report as stored; the figures are null on an 'overdue' row (nothing was filed). */
export interface MonthlyReportRow extends Record<ReportFigure, number | null> {
  id: string;
  institutionId: string;
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

export interface ReportFilter {
  /** An owner's institutions, or a regulator's districts (a LIKE pattern). */
  scope: { institutionIds: string[] } | { districtPattern: string };
  month: string | null;
  status: ReportStatus | null;
  institutionId: string | null;
}

const COLUMNS = `id, institution_id AS "institutionId", district_code AS "districtCode", month, students, new_contracts AS "newContracts",
  lessons_delivered AS "lessonsDelivered", prepaid_collected_fen AS "prepaidCollectedFen", refunds_fen AS "refundsFen", teachers,
  full_time_teachers AS "fullTimeTeachers", status, late, filed_at AS "filedAt", reviewed_at AS "reviewedAt", reviewer_id AS "reviewerId",
  review_note AS "reviewNote", created_at AS "createdAt"`;

/** Monthly reports: one row per institution and month (unique), filed, reviewed or marked overdue. */
@Injectable()
export class MonthlyReportsRepository {
  lockOfMonth(db: Db, institutionId: string, month: string): Promise<{ id: string; status: ReportStatus } | undefined> {
    return firstRow(db, `SELECT id, status FROM monthly_reports WHERE institution_id = $1 AND month = $2 ${LOCK}`, [institutionId, month]);
  }

  /**
   * Files the month's figures, replacing an earlier filing unless that one was accepted (then nothing:
   * undefined). A replacement clears the review; a filing over an 'overdue' row is late, and a corrected
   * filing keeps the lateness of the first.
   */
  file(
    db: Db,
    filing: ReportFigures & { institutionId: string; districtCode: string; month: string; lateByDate: boolean; at: Date },
  ): Promise<{ id: string; late: boolean } | undefined> {
    return firstRow(
      db,
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
      [filing.institutionId, filing.districtCode, filing.month, ...REPORT_FIGURES.map((field) => filing[field]), filing.lateByDate, filing.at],
    );
  }

  byId(db: Db, id: string, lock = false): Promise<MonthlyReportRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM monthly_reports WHERE id = $1${lock ? ` ${LOCK}` : ''}`, [id]);
  }

  async review(db: Db, id: string, review: { status: ReportStatus; reviewerId: string; note: string | null; at: Date }): Promise<void> {
    await db.query(`UPDATE monthly_reports SET status = $2, reviewed_at = $5, reviewer_id = $3, review_note = $4 WHERE id = $1`, [
      id,
      review.status,
      review.reviewerId,
      review.note,
      review.at,
    ]);
  }

  /** Distinct institutions of the reports a filter selects: the ones whose names order a page. */
  async institutionsOf(db: Db, filter: ReportFilter): Promise<string[]> {
    const { where, params } = clause(filter);
    return (await rows<{ institutionId: string }>(db, `SELECT DISTINCT institution_id AS "institutionId" FROM monthly_reports WHERE ${where}`, params)).map(
      (row) => row.institutionId,
    );
  }

  /** Newest month first, then by institution name (`names`: every institution the filter selects), then id. */
  async page(
    db: Db,
    filter: ReportFilter,
    order: { names: ReadonlyMap<string, string>; limit: number; offset: number },
  ): Promise<{ items: MonthlyReportRow[]; total: number }> {
    const { where, params } = clause(filter);
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM monthly_reports WHERE ${where}`, params);
    const n = params.length;
    const items = await rows<MonthlyReportRow>(
      db,
      `SELECT ${COLUMNS} FROM monthly_reports JOIN unnest($${n + 1}::uuid[], $${n + 2}::text[]) AS names(institution, name) ON names.institution = institution_id
       WHERE ${where} ORDER BY month DESC, names.name, id LIMIT $${n + 3} OFFSET $${n + 4}`,
      [...params, [...order.names.keys()], [...order.names.values()], order.limit, order.offset],
    );
    return { items, total: counted?.total ?? 0 };
  }

  /**
   * Writes an 'overdue' row of `month` for each of the institutions (in order) that has no report of
   * it yet; answers the rows written. ON CONFLICT DO NOTHING: a filing in between wins, a second run writes nothing.
   */
  markOverdue(
    db: Db,
    month: { institutionIds: string[]; districtCode: string; month: string; at: Date },
  ): Promise<Array<{ id: string; institutionId: string }>> {
    return rows(
      db,
      `INSERT INTO monthly_reports (institution_id, district_code, month, status, created_at)
       SELECT o.id, $2, $3, 'overdue', $4 FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, n)
       WHERE NOT EXISTS (SELECT 1 FROM monthly_reports r WHERE r.institution_id = o.id AND r.month = $3)
       ORDER BY o.n
       ON CONFLICT (institution_id, month) DO NOTHING
       RETURNING id, institution_id AS "institutionId"`,
      [month.institutionIds, month.districtCode, month.month, month.at],
    );
  }

  /** Overdue reports per institution; no row for an institution with none. */
  overdueCounts(db: Db, institutionIds: string[]): Promise<Array<{ institutionId: string; count: number }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", count(*)::int AS count FROM monthly_reports
       WHERE institution_id = ANY($1::uuid[]) AND status = 'overdue' GROUP BY institution_id`,
      [institutionIds],
    );
  }
}

/** The WHERE of a report filter: every condition always present, each one off when its parameter is null. */
function clause(filter: ReportFilter): { where: string; params: unknown[] } {
  const [scope, scopeParam] =
    'institutionIds' in filter.scope ? ['institution_id = ANY($1::uuid[])', filter.scope.institutionIds] : ['district_code LIKE $1', filter.scope.districtPattern];
  return {
    where: `${scope} AND ($2::text IS NULL OR month = $2) AND ($3::text IS NULL OR status = $3) AND ($4::uuid IS NULL OR institution_id = $4)`,
    params: [scopeParam, filter.month, filter.status, filter.institutionId],
  };
}
