import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '@app/core';
import { LESSONS_LEFT } from '../contracts/contracts.repository';

/** Active contracts of one institution sharing the same terms, counted (most share them). */
/** What one pupil (parent + student name) has prepaid at one institution over its active contracts. */
export interface ActiveTermsRow {
  institutionId: string;
  /** Lessons and money summed, from the earliest start to the latest end (the per-pupil limits of docs/domain.md, “District policy”). */
  lessons: number;
  totalFen: number;
  startDate: string;
  endDate: string;
  contracts: number;
}

export interface PrepaidSumsRow {
  institutionId: string;
  last7DaysFen: number;
  previous8WeeksFen: number;
}

export interface LessonRow {
  institutionId: string;
  courseId: string;
  /** Epoch milliseconds: parsing some 16,000 timestamps a batch into Dates was a tenth of the scan's Node time (bench/risk). */
  startsAtMs: number;
  minutes: number;
}

export interface MonthCountsRow {
  students: number;
  newContracts: number;
  lessonsDelivered: number;
  prepaidCollectedFen: number;
}

export interface RefundRequestRow {
  id: string;
  status: string;
  contractId: string;
  institutionId: string;
  parentUserId: string;
}

/** Set-based reads of contracts, payments, refund requests and lessons for the other libs. */
@Injectable()
export class TuitionFactsRepository {
  /** Per pupil, the terms of the contracts still holding prepaid lessons (the prepaid-limit rule reads them). */
  activeTerms(db: Db, institutionIds: string[]): Promise<ActiveTermsRow[]> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", sum(lessons)::int AS lessons, sum(total_fen)::bigint AS "totalFen", min(start_date) AS "startDate",
              max(end_date) AS "endDate", count(*)::int AS contracts
       FROM contracts c WHERE institution_id = ANY($1::uuid[]) AND status = 'active' AND ${LESSONS_LEFT('c')} GROUP BY institution_id, parent_user_id, student_name`,
      [institutionIds],
    );
  }

  /** Money the bank confirmed into escrow since `windows.last7Days`, and from `windows.previous8Weeks` until then. */
  prepaidSums(db: Db, institutionIds: string[], windows: { previous8Weeks: Date; last7Days: Date }): Promise<PrepaidSumsRow[]> {
    return rows(
      db,
      `SELECT c.institution_id AS "institutionId",
              coalesce(sum(p.amount_fen) FILTER (WHERE p.received_at >= $3), 0)::bigint AS "last7DaysFen",
              coalesce(sum(p.amount_fen) FILTER (WHERE p.received_at < $3), 0)::bigint AS "previous8WeeksFen"
       FROM contracts c JOIN payments p ON p.contract_id = c.id
       WHERE c.institution_id = ANY($1::uuid[]) AND p.status = 'confirmed' AND p.received_at >= $2 GROUP BY c.institution_id`,
      [institutionIds, windows.previous8Weeks, windows.last7Days],
    );
  }

  refundRequestCounts(db: Db, institutionIds: string[], since: Date): Promise<Array<{ institutionId: string; count: number }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", count(*)::int AS count FROM refund_requests
       WHERE institution_id = ANY($1::uuid[]) AND created_at >= $2 GROUP BY institution_id`,
      [institutionIds, since],
    );
  }

  latestLessons(db: Db, institutionIds: string[]): Promise<Array<{ institutionId: string; startsAt: Date }>> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", max(starts_at) AS "startsAt" FROM lessons WHERE institution_id = ANY($1::uuid[]) GROUP BY institution_id`,
      [institutionIds],
    );
  }

  lessonsSince(db: Db, institutionIds: string[], since: Date): Promise<LessonRow[]> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", course_id AS "courseId", floor(extract(epoch FROM starts_at) * 1000)::bigint AS "startsAtMs", minutes FROM lessons
       WHERE institution_id = ANY($1::uuid[]) AND starts_at >= $2`,
      [institutionIds, since],
    );
  }

  /**
   * Per (institution, [from, to)), in the order asked: pupils (distinct parent and student name) of the
   * contracts signed before `to` and not refunded before `from`, contracts signed, lessons starting and
   * payments received in the span. `refunded` holds the refund instants of contracts (from the ledger).
   */
  monthCounts(
    db: Db,
    spans: { institutionIds: string[]; from: Date[]; to: Date[] },
    refunded: { contractIds: string[]; at: Date[] },
  ): Promise<MonthCountsRow[]> {
    return rows(
      db,
      `WITH refunded AS (SELECT * FROM unnest($4::uuid[], $5::timestamptz[]) AS r(contract_id, at))
       SELECT
         (SELECT count(*) FROM (SELECT DISTINCT c.parent_user_id, c.student_name FROM contracts c
            WHERE c.institution_id = w.institution_id AND c.created_at < w.to_at
              AND NOT EXISTS (SELECT 1 FROM refunded r WHERE r.contract_id = c.id AND r.at < w.from_at)) s)::int AS students,
         (SELECT count(*) FROM contracts c WHERE c.institution_id = w.institution_id AND c.created_at >= w.from_at AND c.created_at < w.to_at)::int AS "newContracts",
         (SELECT count(*) FROM lessons l WHERE l.institution_id = w.institution_id AND l.starts_at >= w.from_at AND l.starts_at < w.to_at)::int AS "lessonsDelivered",
         (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p JOIN contracts c ON c.id = p.contract_id
            WHERE c.institution_id = w.institution_id AND p.status = 'confirmed' AND p.received_at >= w.from_at AND p.received_at < w.to_at)::bigint AS "prepaidCollectedFen"
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS w(institution_id, from_at, to_at, n)
       ORDER BY w.n`,
      [spans.institutionIds, spans.from, spans.to, refunded.contractIds, refunded.at],
    );
  }

  /** Pupils (distinct parent and student name) with an active contract, per district. */
  activePupils(db: Db, districtCodes: string[], courseIds: string[]): Promise<Array<{ districtCode: string; pupils: number }>> {
    return rows(
      db,
      `SELECT district_code AS "districtCode", count(*)::int AS pupils
       FROM (SELECT DISTINCT district_code, parent_user_id, student_name FROM contracts
             WHERE district_code = ANY($1::text[]) AND status = 'active' AND course_id = ANY($2::uuid[])) s
       GROUP BY district_code`,
      [districtCodes, courseIds],
    );
  }

  /** The courses that have an active contract in the districts. */
  async activeCourseIds(db: Db, districtCodes: string[]): Promise<string[]> {
    const found = await rows<{ courseId: string }>(
      db,
      `SELECT DISTINCT course_id AS "courseId" FROM contracts WHERE district_code = ANY($1::text[]) AND status = 'active'`,
      [districtCodes],
    );
    return found.map((row) => row.courseId);
  }

  async isParentOf(db: Db, contractId: string, parentId: string): Promise<boolean> {
    return Boolean(await firstRow(db, `SELECT 1 FROM contracts WHERE id = $1 AND parent_user_id = $2`, [contractId, parentId]));
  }

  refundRequest(db: Db, id: string): Promise<RefundRequestRow | undefined> {
    return firstRow(
      db,
      `SELECT r.id, r.status, r.contract_id AS "contractId", r.institution_id AS "institutionId", c.parent_user_id AS "parentUserId"
       FROM refund_requests r JOIN contracts c ON c.id = r.contract_id WHERE r.id = $1`,
      [id],
    );
  }
}
