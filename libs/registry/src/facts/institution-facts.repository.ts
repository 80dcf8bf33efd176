import { Injectable } from '@nestjs/common';
import { Db, rows } from '@app/core';
import type { Delivery, InstitutionCategory } from '../institutions/institutions.repository';
import type { InstitutionStatus } from '../licence/licence-state-machine';

/** What other libs may know of an institution without reading the register's tables. */
export interface InstitutionFactsRow {
  id: string;
  name: string;
  districtCode: string;
  category: InstitutionCategory;
  delivery: Delivery;
  status: InstitutionStatus;
  /** YYYY-MM-DD, or null before a licence was granted. */
  licenceValidUntil: string | null;
}

export interface OwnedInstitutionRow {
  id: string;
  name: string;
  districtCode: string;
  status: InstitutionStatus;
}

export interface TeacherCountsRow {
  institutionId: string;
  teachers: number;
  fullTime: number;
  /** Teachers without a teacher qualification certificate on file. */
  unqualified: number;
  /** Teachers without a background check (无犯罪记录查询) on file. */
  neverChecked: number;
  /** The oldest background check on file (YYYY-MM-DD), or null when none is. */
  oldestBackgroundCheck: string | null;
}

export interface SubjectInstitutionCountsRow {
  districtCode: string;
  offline: number;
  online: number;
}

const FACTS = `id, name, district_code AS "districtCode", category, delivery, status, licence_valid_until::text AS "licenceValidUntil"`;

/** Set-based reads of institutions, teachers and courses for the other libs (many ids per statement). */
@Injectable()
export class InstitutionFactsRepository {
  idsWithStatus(db: Db, statuses: readonly InstitutionStatus[]): Promise<Array<{ id: string }>> {
    return rows(db, `SELECT id FROM institutions WHERE status = ANY($1::text[]) ORDER BY id`, [statuses]);
  }

  of(db: Db, ids: string[]): Promise<InstitutionFactsRow[]> {
    return rows(db, `SELECT ${FACTS} FROM institutions WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** The owner's institutions (or the one named, if it is the owner's), oldest first. */
  ownedBy(db: Db, ownerId: string, institutionId: string | null): Promise<OwnedInstitutionRow[]> {
    return rows(
      db,
      `SELECT id, name, district_code AS "districtCode", status FROM institutions
       WHERE owner_user_id = $1 AND ($2::uuid IS NULL OR id = $2) ORDER BY created_at, id`,
      [ownerId, institutionId],
    );
  }

  /**
   * Ids of the institutions whose district code lies in [`from`, `to`] (a district: from = to; a city:
   * 430100–430199). A range, not LIKE, so IDX_INSTITUTIONS_DISTRICT_STATUS serves it under any collation.
   */
  idsInDistrictRange(db: Db, from: string, to: string): Promise<Array<{ id: string }>> {
    return rows(db, `SELECT id FROM institutions WHERE district_code BETWEEN $1 AND $2`, [from, to]);
  }

  /** Institutions in one of `statuses` whose licence was first granted before `before`, by id. */
  approvedBefore(db: Db, statuses: readonly InstitutionStatus[], before: Date): Promise<Array<{ id: string; districtCode: string }>> {
    return rows(
      db,
      `SELECT i.id, i.district_code AS "districtCode" FROM institutions i
       WHERE i.status = ANY($1::text[]) AND EXISTS (SELECT 1 FROM institution_events e WHERE e.institution_id = i.id AND e.action = 'approve' AND e.at < $2)
       ORDER BY i.id`,
      [statuses, before],
    );
  }

  teacherCounts(db: Db, institutionIds: string[]): Promise<TeacherCountsRow[]> {
    return rows(
      db,
      `SELECT institution_id AS "institutionId", count(*)::int AS teachers, count(*) FILTER (WHERE full_time)::int AS "fullTime",
              count(*) FILTER (WHERE qualification_no IS NULL)::int AS unqualified,
              count(*) FILTER (WHERE background_checked_at IS NULL)::int AS "neverChecked",
              to_char(min(background_checked_at), 'YYYY-MM-DD') AS "oldestBackgroundCheck"
       FROM teachers WHERE institution_id = ANY($1::uuid[]) GROUP BY institution_id`,
      [institutionIds],
    );
  }

  courseCategories(db: Db, courseIds: string[]): Promise<Array<{ id: string; category: InstitutionCategory }>> {
    return rows(db, `SELECT id, category FROM courses WHERE id = ANY($1::uuid[])`, [courseIds]);
  }

  /** Subject-training institutions holding a valid licence (licensed, suspended, enrolment-stopped) per district, offline and online. */
  licensedSubjectCounts(db: Db, districtCodes: string[]): Promise<SubjectInstitutionCountsRow[]> {
    return rows(
      db,
      `SELECT district_code AS "districtCode", count(*) FILTER (WHERE delivery = 'offline')::int AS offline, count(*) FILTER (WHERE delivery = 'online')::int AS online
       FROM institutions WHERE district_code = ANY($1::text[]) AND category = 'subject'
         AND status IN ('licensed', 'suspended', 'enrolment_stopped') GROUP BY district_code`,
      [districtCodes],
    );
  }
}
