import { Injectable } from '@nestjs/common';
import { Db, LOCK, changedRows, firstRow, rows } from '@app/core';
import { ConsumptionStatus } from './consumption-transitions';

export interface LessonRow {
  id: string;
  courseId: string;
  startsAt: Date;
  minutes: number;
}

/** A pupil's share of a lesson, as a lesson's answer lists it. */
export interface LessonConsumption {
  id: string;
  contractId: string;
  amountFen: number;
  status: ConsumptionStatus;
  autoConfirmAt: Date;
}

/** A consumption with the contract facts its rules need (who may decide it, where it belongs). */
export interface ConsumptionRow extends LessonConsumption {
  lessonId: string;
  institutionId: string;
  parentUserId: string;
  districtCode: string;
}

export interface ConsumptionView extends LessonConsumption {
  lessonId: string;
  disputeReason: string | null;
  resolvedAt: Date | null;
}

/** A consumption with its lesson's time, as a contract's lesson list and the lessons-by-status view show it. */
export interface LessonOfContract extends ConsumptionView {
  startsAt: Date;
  minutes: number;
}

export interface ScopedConsumption extends LessonOfContract {
  studentName: string;
  districtCode: string;
  institutionId: string;
  courseId: string;
}

const LESSON_COLUMNS = `id, course_id AS "courseId", starts_at AS "startsAt", minutes`;
const LESSON_CONSUMPTION_COLUMNS = `id, contract_id AS "contractId", amount_fen AS "amountFen", status, auto_confirm_at AS "autoConfirmAt"`;
const VIEW_COLUMNS = `s.id, s.lesson_id AS "lessonId", s.contract_id AS "contractId", s.amount_fen AS "amountFen", s.status, s.auto_confirm_at AS "autoConfirmAt",
  s.dispute_reason AS "disputeReason", s.resolved_at AS "resolvedAt"`;

@Injectable()
export class LessonsRepository {
  exists(db: Db, lessonId: string): Promise<{ id: string } | undefined> {
    return firstRow(db, `SELECT id FROM lessons WHERE id = $1`, [lessonId]);
  }

  async insertLesson(db: Db, lesson: LessonRow & { institutionId: string; createdAt: Date }): Promise<LessonRow> {
    const [recorded] = await rows<LessonRow>(
      db,
      `INSERT INTO lessons (id, institution_id, course_id, starts_at, minutes, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${LESSON_COLUMNS}`,
      [lesson.id, lesson.institutionId, lesson.courseId, lesson.startsAt, lesson.minutes, lesson.createdAt],
    );
    return recorded;
  }

  /** One pending consumption per pupil, in the order of `shares`. */
  insertConsumptions(
    db: Db,
    lesson: { id: string; institutionId: string; autoConfirmAt: Date; createdAt: Date },
    shares: Array<{ id: string; contractId: string; amountFen: number }>,
  ): Promise<LessonConsumption[]> {
    return rows(
      db,
      `INSERT INTO consumptions (id, lesson_id, contract_id, institution_id, amount_fen, status, auto_confirm_at, created_at)
       SELECT id, $1, contract_id, $2, amount, 'pending', $3, $7 FROM unnest($4::uuid[], $5::uuid[], $6::bigint[]) AS x(id, contract_id, amount)
       RETURNING ${LESSON_CONSUMPTION_COLUMNS}`,
      [
        lesson.id,
        lesson.institutionId,
        lesson.autoConfirmAt,
        shares.map((share) => share.id),
        shares.map((share) => share.contractId),
        shares.map((share) => share.amountFen),
        lesson.createdAt,
      ],
    );
  }

  /** A lesson with its consumptions ordered by contract, as the roll call answered it. */
  async lessonWithConsumptions(db: Db, lessonId: string): Promise<LessonRow & { consumptions: LessonConsumption[] }> {
    const lesson = await firstRow<LessonRow>(db, `SELECT ${LESSON_COLUMNS} FROM lessons WHERE id = $1`, [lessonId]);
    const consumptions = await rows<LessonConsumption>(db, `SELECT ${LESSON_CONSUMPTION_COLUMNS} FROM consumptions WHERE lesson_id = $1 ORDER BY contract_id`, [
      lessonId,
    ]);
    return { ...lesson!, consumptions };
  }

  /** Lessons recorded and not voided, and whether a refund request is open, per contract. */
  usage(db: Db, contractIds: string[]): Promise<Array<{ contractId: string; used: number; openRefund: boolean }>> {
    return rows(
      db,
      `SELECT c.id AS "contractId", (SELECT count(*) FROM consumptions s WHERE s.contract_id = c.id AND s.status <> 'voided')::int AS used,
              EXISTS (SELECT 1 FROM refund_requests r WHERE r.contract_id = c.id AND r.status = 'requested') AS "openRefund"
       FROM contracts c WHERE c.id = ANY($1::uuid[])`,
      [contractIds],
    );
  }

  lockConsumption(db: Db, id: string): Promise<ConsumptionRow | undefined> {
    return firstRow(
      db,
      `SELECT s.id, s.lesson_id AS "lessonId", s.contract_id AS "contractId", s.institution_id AS "institutionId", s.amount_fen AS "amountFen",
              s.status, s.auto_confirm_at AS "autoConfirmAt", c.parent_user_id AS "parentUserId", c.district_code AS "districtCode"
       FROM consumptions s JOIN contracts c ON c.id = s.contract_id WHERE s.id = $1 ${LOCK} OF s`,
      [id],
    );
  }

  /** Locks the contract's consumptions in these states, in id order. */
  async lockOfContract(db: Db, contractId: string, statuses: readonly ConsumptionStatus[]): Promise<string[]> {
    const found = await rows<{ id: string }>(db, `SELECT id FROM consumptions WHERE contract_id = $1 AND status = ANY($2::text[]) ORDER BY id ${LOCK}`, [
      contractId,
      statuses,
    ]);
    return found.map((row) => row.id);
  }

  /**
   * Up to `limit` pending consumptions whose window has passed, oldest due first, locked with SKIP LOCKED.
   * The partial index on (auto_confirm_at) WHERE pending serves the order, so each batch reads just its
   * rows (ORDER BY id walked the whole primary key past the batches already confirmed); SKIP LOCKED never
   * waits, so these row locks cannot deadlock, and several workers share the backlog.
   */
  async lockDue(db: Db, now: Date, limit: number): Promise<string[]> {
    const due = await rows<{ id: string }>(
      db,
      `SELECT id FROM consumptions WHERE status = 'pending' AND auto_confirm_at <= $1 ORDER BY auto_confirm_at LIMIT $2 ${LOCK} SKIP LOCKED`,
      [now, limit],
    );
    return due.map((row) => row.id);
  }

  async resolve(db: Db, ids: string[], status: ConsumptionStatus, at: Date): Promise<void> {
    await db.query(`UPDATE consumptions SET status = $2, resolved_at = $3 WHERE id = ANY($1::uuid[])`, [ids, status, at]);
  }

  async resolveOne(db: Db, id: string, status: ConsumptionStatus, at: Date): Promise<ConsumptionView> {
    const [updated] = await changedRows<ConsumptionView>(
      db,
      `UPDATE consumptions s SET status = $2, resolved_at = $3 WHERE s.id = $1 RETURNING ${VIEW_COLUMNS}`,
      [id, status, at],
    );
    return updated;
  }

  async dispute(db: Db, id: string, status: ConsumptionStatus, reason: string | null): Promise<ConsumptionView> {
    const [updated] = await changedRows<ConsumptionView>(
      db,
      `UPDATE consumptions s SET status = $2, dispute_reason = $3 WHERE s.id = $1 RETURNING ${VIEW_COLUMNS}`,
      [id, status, reason],
    );
    return updated;
  }

  ofContract(db: Db, contractId: string, limit: number): Promise<LessonOfContract[]> {
    return rows(
      db,
      `SELECT ${VIEW_COLUMNS}, l.starts_at AS "startsAt", l.minutes FROM consumptions s JOIN lessons l ON l.id = s.lesson_id
       WHERE s.contract_id = $1 ORDER BY l.starts_at DESC, s.id LIMIT $2`,
      [contractId, limit],
    );
  }

  /** Consumptions of some institutions (an owner's) or districts (a regulator's), oldest lesson first. */
  async page(
    db: Db,
    scope: { institutionIds: string[] } | { districtPattern: string | null },
    filter: { status?: string; limit: number; offset: number },
  ): Promise<{ items: ScopedConsumption[]; total: number }> {
    const params: unknown[] = ['institutionIds' in scope ? scope.institutionIds : scope.districtPattern];
    const where = ['institutionIds' in scope ? `s.institution_id = ANY($1::uuid[])` : `($1::text IS NULL OR c.district_code LIKE $1)`];
    if (filter.status) where.push(`s.status = $${params.push(filter.status)}`);
    const from = `FROM consumptions s JOIN lessons l ON l.id = s.lesson_id JOIN contracts c ON c.id = s.contract_id WHERE ${where.join(' AND ')}`;
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total ${from}`, params);
    const items = await rows<ScopedConsumption>(
      db,
      `SELECT ${VIEW_COLUMNS}, l.starts_at AS "startsAt", l.minutes, c.student_name AS "studentName", c.district_code AS "districtCode",
              s.institution_id AS "institutionId", l.course_id AS "courseId"
       ${from} ORDER BY l.starts_at, s.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items, total: counted?.total ?? 0 };
  }
}
