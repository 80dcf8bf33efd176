import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';

export type ContractStatus = 'awaiting_payment' | 'active' | 'completed' | 'refunded';

export interface ContractRow {
  id: string;
  parentUserId: string;
  institutionId: string;
  courseId: string;
  districtCode: string;
  studentName: string;
  lessons: number;
  lessonPriceFen: number;
  totalFen: number;
  startDate: string;
  endDate: string;
  status: ContractStatus;
  paidFen: number;
  createdAt: Date;
}

/** Who may see which contracts: a parent its own, an owner its institutions', a regulator its districts'. */
export type ContractScope = { parentUserId: string } | { institutionIds: string[] } | { districtPattern: string | null };

/** What a contract has used of its lessons and money, from its own lessons. */
export interface ContractUse {
  contractId: string;
  confirmedFen: number;
  /** Lessons recorded and not voided: pending, disputed or confirmed. */
  lessonsUsed: number;
}

const COLUMNS = `c.id, c.parent_user_id AS "parentUserId", c.institution_id AS "institutionId", c.course_id AS "courseId",
  c.district_code AS "districtCode", c.student_name AS "studentName", c.lessons, c.lesson_price_fen AS "lessonPriceFen", c.total_fen AS "totalFen",
  c.start_date AS "startDate", c.end_date AS "endDate", c.status, c.paid_fen AS "paidFen", c.created_at AS "createdAt"`;

function whereScope(scope: ContractScope, params: unknown[]): string {
  if ('parentUserId' in scope) return `c.parent_user_id = $${params.push(scope.parentUserId)}`;
  if ('institutionIds' in scope) return `c.institution_id = ANY($${params.push(scope.institutionIds)}::uuid[])`;
  return `($${params.push(scope.districtPattern)}::text IS NULL OR c.district_code LIKE $${params.length})`;
}

/**
 * SQL: the contract (by its alias) still holds prepaid lessons, fewer of its lessons confirmed than it
 * bought. A contract whose every lesson is confirmed has nothing prepaid left, so it no longer counts in
 * the prepaid limits (docs/domain.md, "District policy"), though its status stays active.
 */
export const LESSONS_LEFT = (alias: string) =>
  `(SELECT count(*) FROM consumptions s WHERE s.contract_id = ${alias}.id AND s.status = 'confirmed') < ${alias}.lessons`;

@Injectable()
export class ContractsRepository {
  async insert(db: Db, contract: Omit<ContractRow, 'paidFen' | 'status'>): Promise<void> {
    await db.query(
      `INSERT INTO contracts (id, parent_user_id, institution_id, course_id, district_code, student_name, lessons, lesson_price_fen, total_fen, start_date, end_date, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'awaiting_payment', $12)`,
      [
        contract.id,
        contract.parentUserId,
        contract.institutionId,
        contract.courseId,
        contract.districtCode,
        contract.studentName,
        contract.lessons,
        contract.lessonPriceFen,
        contract.totalFen,
        contract.startDate,
        contract.endDate,
        contract.createdAt,
      ],
    );
  }

  find(db: Db, id: string): Promise<ContractRow | undefined> {
    return firstRow(db, `SELECT ${COLUMNS} FROM contracts c WHERE c.id = $1`, [id]);
  }

  /**
   * Locks contract rows for a money-moving change, in id order. Lock order across the platform:
   * institution, contracts (by id), consumptions, then ledger accounts (by id).
   */
  lock(db: Db, ids: string[]): Promise<ContractRow[]> {
    return rows(db, `SELECT ${COLUMNS} FROM contracts c WHERE c.id = ANY($1::uuid[]) ORDER BY c.id ${LOCK}`, [ids]);
  }

  /** Locks a pupil's open contracts at one institution: awaiting payment, or active with lessons not yet confirmed. */
  lockOpenOfPupil(db: Db, pupil: { parentUserId: string; studentName: string; institutionId: string }): Promise<ContractRow[]> {
    return rows(
      db,
      `SELECT ${COLUMNS} FROM contracts c WHERE c.parent_user_id = $1 AND c.student_name = $2 AND c.institution_id = $3
         AND (c.status = 'awaiting_payment' OR (c.status = 'active' AND ${LESSONS_LEFT('c')})) ORDER BY c.id ${LOCK}`,
      [pupil.parentUserId, pupil.studentName, pupil.institutionId],
    );
  }

  async page(db: Db, scope: ContractScope, filter: { status?: string; limit: number; offset: number }): Promise<{ items: ContractRow[]; total: number }> {
    const params: unknown[] = [];
    const where = [whereScope(scope, params)];
    if (filter.status) where.push(`c.status = $${params.push(filter.status)}`);
    const clause = `WHERE ${where.join(' AND ')}`;
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM contracts c ${clause}`, params);
    const items = await rows<ContractRow>(
      db,
      `SELECT ${COLUMNS} FROM contracts c ${clause} ORDER BY c.created_at DESC, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items, total: counted?.total ?? 0 };
  }

  /** Ids of the contracts of an institution in these states (the whole-contract refund walks them). */
  async idsOfInstitution(db: Db, institutionId: string, statuses: ContractStatus[]): Promise<string[]> {
    const found = await rows<{ id: string }>(db, `SELECT id FROM contracts WHERE institution_id = $1 AND status = ANY($2::text[]) ORDER BY id`, [
      institutionId,
      statuses,
    ]);
    return found.map((row) => row.id);
  }

  use(db: Db, contractIds: string[]): Promise<ContractUse[]> {
    return rows(
      db,
      `SELECT c.id AS "contractId",
              coalesce(sum(s.amount_fen) FILTER (WHERE s.status = 'confirmed'), 0)::bigint AS "confirmedFen",
              count(s.id) FILTER (WHERE s.status IN ('pending', 'disputed', 'confirmed'))::int AS "lessonsUsed"
       FROM contracts c LEFT JOIN consumptions s ON s.contract_id = c.id WHERE c.id = ANY($1::uuid[]) GROUP BY c.id`,
      [contractIds],
    );
  }

  async addPaid(db: Db, id: string, amountFen: number): Promise<void> {
    await db.query(`UPDATE contracts SET paid_fen = paid_fen + $2, status = 'active' WHERE id = $1`, [id, amountFen]);
  }

  async setStatus(db: Db, id: string, status: ContractStatus): Promise<void> {
    await db.query(`UPDATE contracts SET status = $2 WHERE id = $1`, [id, status]);
  }

  /** Every contract with the money the bank received for it and what its lessons used, for invariant 4 of docs/domain.md, “Escrow ledger”. */
  figures(
    db: Db,
    institutionIds: string[] | null,
  ): Promise<Array<{ id: string; lessons: number; lessonPriceFen: number; receivedFen: number; confirmedFen: number; lessonsUsed: number }>> {
    return rows(
      db,
      `SELECT c.id, c.lessons, c.lesson_price_fen AS "lessonPriceFen",
              coalesce((SELECT sum(amount_fen) FROM payments p WHERE p.contract_id = c.id AND p.status IN ('confirmed', 'refunded')), 0)::bigint AS "receivedFen",
              coalesce((SELECT sum(amount_fen) FROM consumptions s WHERE s.contract_id = c.id AND s.status = 'confirmed'), 0)::bigint AS "confirmedFen",
              (SELECT count(*) FROM consumptions s WHERE s.contract_id = c.id AND s.status IN ('pending', 'disputed', 'confirmed'))::int AS "lessonsUsed"
       FROM contracts c WHERE $1::uuid[] IS NULL OR c.institution_id = ANY($1::uuid[])`,
      [institutionIds],
    );
  }
}
