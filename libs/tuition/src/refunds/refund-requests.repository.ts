import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';
import { RefundRequestStatus } from './refund-request-transitions';

/** A refund request with the contract facts its rules need. */
export interface RefundRequestRow {
  id: string;
  contractId: string;
  institutionId: string;
  status: RefundRequestStatus;
  districtCode: string;
}

export type RefundKind = 'request' | 'order' | 'automatic';

export interface RefundRequestView {
  id: string;
  contractId: string;
  /** request: a parent's; order: a regulator's, made at once; automatic: on revocation or closure. */
  kind: RefundKind;
  reason: string;
  status: RefundRequestStatus;
  amountFen: number | null;
  deemedAcceptedAt: Date;
  answerReason: string | null;
  answeredAt: Date | null;
  /** Confirmed lessons a regulator's order clawed back from the institution, and their money. */
  clawbackLessons: number;
  clawbackFen: number;
  complaintId: string | null;
  createdAt: Date;
}

const VIEW_COLUMNS = `id, contract_id AS "contractId", kind, reason, status, clawback_lessons AS "clawbackLessons", clawback_fen AS "clawbackFen", complaint_id AS "complaintId", amount_fen AS "amountFen", deemed_accepted_at AS "deemedAcceptedAt",
  answer_reason AS "answerReason", answered_at AS "answeredAt", created_at AS "createdAt"`;

@Injectable()
export class RefundRequestsRepository {
  view(db: Db, id: string): Promise<RefundRequestView | undefined> {
    return firstRow(db, `SELECT ${VIEW_COLUMNS} FROM refund_requests WHERE id = $1`, [id]);
  }

  openOf(db: Db, contractId: string): Promise<{ id: string } | undefined> {
    return firstRow(db, `SELECT id FROM refund_requests WHERE contract_id = $1 AND status = 'requested'`, [contractId]);
  }

  /** Inserts a request ('requested'); false when one with this id exists already (a retry). */
  async insert(
    db: Db,
    request: { id: string; kind: RefundKind; contractId: string; institutionId: string; reason: string; deemedAcceptedAt: Date; createdAt: Date },
  ): Promise<boolean> {
    const inserted = await rows(
      db,
      `INSERT INTO refund_requests (id, kind, contract_id, institution_id, reason, status, deemed_accepted_at, created_at)
       VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [request.id, request.kind, request.contractId, request.institutionId, request.reason, request.deemedAcceptedAt, request.createdAt],
    );
    return inserted.length > 0;
  }

  /** Records what a regulator's order says beyond a request: who ordered it, on which complaint, and its claw-back. */
  async recordOrder(db: Db, id: string, order: { orderedBy: string; complaintId: string | null; clawbackLessons: number; clawbackFen: number }): Promise<void> {
    await db.query(`UPDATE refund_requests SET ordered_by = $2, complaint_id = $3, clawback_lessons = $4, clawback_fen = $5 WHERE id = $1`, [
      id,
      order.orderedBy,
      order.complaintId,
      order.clawbackLessons,
      order.clawbackFen,
    ]);
  }

  /** Confirmed lessons of the contract that orders have already clawed back. */
  async clawedBackLessons(db: Db, contractId: string): Promise<number> {
    const found = await firstRow<{ lessons: number }>(
      db,
      `SELECT coalesce(sum(clawback_lessons), 0)::int AS lessons FROM refund_requests WHERE contract_id = $1`,
      [contractId],
    );
    return found?.lessons ?? 0;
  }

  /** Where a request belongs (its contract and institution), read without a lock: what to lock first. */
  placeOf(db: Db, id: string): Promise<{ contractId: string; institutionId: string } | undefined> {
    return firstRow(db, `SELECT contract_id AS "contractId", institution_id AS "institutionId" FROM refund_requests WHERE id = $1`, [id]);
  }

  lock(db: Db, id: string): Promise<RefundRequestRow | undefined> {
    return firstRow(
      db,
      `SELECT r.id, r.contract_id AS "contractId", r.institution_id AS "institutionId", r.status, c.district_code AS "districtCode"
       FROM refund_requests r JOIN contracts c ON c.id = r.contract_id WHERE r.id = $1 ${LOCK} OF r`,
      [id],
    );
  }

  async due(db: Db, now: Date): Promise<string[]> {
    const found = await rows<{ id: string }>(
      db,
      `SELECT id FROM refund_requests WHERE status = 'requested' AND deemed_accepted_at <= $1 ORDER BY deemed_accepted_at`,
      [now],
    );
    return found.map((row) => row.id);
  }

  async answer(db: Db, id: string, answer: { status: RefundRequestStatus; reason: string | null; amountFen?: number; at: Date }): Promise<void> {
    await db.query(`UPDATE refund_requests SET status = $2, answer_reason = $3, amount_fen = coalesce($4, amount_fen), answered_at = $5 WHERE id = $1`, [
      id,
      answer.status,
      answer.reason,
      answer.amountFen ?? null,
      answer.at,
    ]);
  }

  /** Answers every request of the contract still in one of `from` (superseding them). */
  async answerOpen(
    db: Db,
    contractId: string,
    from: readonly RefundRequestStatus[],
    answer: { status: RefundRequestStatus; reason: string; at: Date },
  ): Promise<void> {
    await db.query(`UPDATE refund_requests SET status = $3, answer_reason = $4, answered_at = $5 WHERE contract_id = $1 AND status = ANY($2::text[])`, [
      contractId,
      from,
      answer.status,
      answer.reason,
      answer.at,
    ]);
  }

  /** The requests, orders and automatic refunds of these contracts, newest first (shown on each contract). */
  ofContracts(db: Db, contractIds: string[]): Promise<RefundRequestView[]> {
    return rows(db, `SELECT ${VIEW_COLUMNS} FROM refund_requests WHERE contract_id = ANY($1::uuid[]) ORDER BY created_at DESC, id`, [contractIds]);
  }

  ofInstitutions(db: Db, institutionIds: string[], status: string | undefined, limit: number): Promise<RefundRequestView[]> {
    return rows(
      db,
      `SELECT ${VIEW_COLUMNS} FROM refund_requests WHERE institution_id = ANY($1::uuid[]) AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC LIMIT $3`,
      [institutionIds, status ?? null, limit],
    );
  }
}
