import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';
import type { InstitutionStatus } from '../licence/licence-state-machine';

/** A course with what tuition needs of it and of its institution to sell it or record its lessons. */
export interface CourseTerms {
  courseId: string;
  courseName: string;
  category: 'subject' | 'non_subject';
  lessonMinutes: number;
  lessonPriceFen: number;
  institutionId: string;
  institutionName: string;
  ownerUserId: string;
  districtCode: string;
  delivery: 'offline' | 'online';
  status: InstitutionStatus;
  frozen: boolean;
  riskLevel: 'green' | 'yellow' | 'red';
  licenceValidUntil: string | null;
  renewalPending: boolean;
  closedByOrder: boolean;
}

/** Where an institution stands: what decides whether it may sell, and whether it may be paid. */
export interface InstitutionStanding {
  institutionId: string;
  districtCode: string;
  status: InstitutionStatus;
  frozen: boolean;
  riskLevel: 'green' | 'yellow' | 'red';
  licenceValidUntil: string | null;
  renewalPending: boolean;
  closedByOrder: boolean;
}

const COURSE_TERMS = `SELECT c.id AS "courseId", c.name AS "courseName", c.category, c.lesson_minutes AS "lessonMinutes", c.lesson_price_fen AS "lessonPriceFen",
  i.id AS "institutionId", i.name AS "institutionName", i.owner_user_id AS "ownerUserId", i.district_code AS "districtCode", i.delivery, i.status, i.frozen,
  i.risk_level AS "riskLevel", i.licence_valid_until::text AS "licenceValidUntil", i.renewal_applied_at IS NOT NULL AS "renewalPending",
  i.closed_by_order AS "closedByOrder"
  FROM courses c JOIN institutions i ON i.id = c.institution_id`;

const STANDING = `SELECT id AS "institutionId", district_code AS "districtCode", status, frozen, risk_level AS "riskLevel",
  licence_valid_until::text AS "licenceValidUntil", renewal_applied_at IS NOT NULL AS "renewalPending", closed_by_order AS "closedByOrder" FROM institutions`;

/** What the registry tells tuition about its institutions and courses: the registry's tables stay its own. */
@Injectable()
export class EnrolmentRepository {
  courseTerms(db: Db, courseId: string): Promise<CourseTerms | undefined> {
    return firstRow(db, `${COURSE_TERMS} WHERE c.id = $1`, [courseId]);
  }

  standing(db: Db, institutionIds: string[]): Promise<InstitutionStanding[]> {
    return rows(db, `${STANDING} WHERE id = ANY($1::uuid[]) ORDER BY id`, [institutionIds]);
  }

  /** Locks the institution's row: the first lock of the platform's order (institution, contracts, consumptions, accounts). */
  lockStanding(db: Db, institutionId: string): Promise<InstitutionStanding | undefined> {
    return firstRow(db, `${STANDING} WHERE id = $1 ${LOCK}`, [institutionId]);
  }

  /** Institutions of the districts matching the pattern that are not in good standing (not licensed, or frozen). */
  async notInGoodStanding(db: Db, districtPattern: string): Promise<string[]> {
    const found = await rows<{ id: string }>(
      db,
      `SELECT id FROM institutions WHERE district_code LIKE $1 AND (status <> 'licensed' OR frozen) AND licence_number IS NOT NULL ORDER BY id`,
      [districtPattern],
    );
    return found.map((row) => row.id);
  }

  async withStatus(db: Db, statuses: InstitutionStatus[]): Promise<string[]> {
    const found = await rows<{ id: string }>(db, `SELECT id FROM institutions WHERE status = ANY($1::text[]) ORDER BY id`, [statuses]);
    return found.map((row) => row.id);
  }

  async ownerOf(db: Db, institutionId: string): Promise<string | undefined> {
    return (await firstRow<{ owner: string }>(db, `SELECT owner_user_id AS owner FROM institutions WHERE id = $1`, [institutionId]))?.owner;
  }

  async ownedBy(db: Db, ownerUserId: string): Promise<string[]> {
    const owned = await rows<{ id: string }>(db, `SELECT id FROM institutions WHERE owner_user_id = $1 ORDER BY id`, [ownerUserId]);
    return owned.map((row) => row.id);
  }

  /** Institutions whose district matches a LIKE pattern (a regulator's scope), or all of them for null. */
  async inDistricts(db: Db, districtPattern: string | null): Promise<string[]> {
    const found = await rows<{ id: string }>(db, `SELECT id FROM institutions WHERE ($1::text IS NULL OR district_code LIKE $1) ORDER BY id`, [
      districtPattern,
    ]);
    return found.map((row) => row.id);
  }

  names(db: Db, institutionIds: string[], courseIds: string[]): Promise<Array<{ id: string; name: string }>> {
    return rows(db, `SELECT id, name FROM institutions WHERE id = ANY($1::uuid[]) UNION ALL SELECT id, name FROM courses WHERE id = ANY($2::uuid[])`, [
      institutionIds,
      courseIds,
    ]);
  }
}
