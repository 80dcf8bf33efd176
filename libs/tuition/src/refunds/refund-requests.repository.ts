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

export interface RefundRequestView {
  id: string;
  contractId: string;
  reason: string;
  status: RefundRequestStatus;
  amountFen: number | null;
  deemedAcceptedAt: Date;
  answerReason: string | null;
  answeredAt: Date | null;
  createdAt: Date;
}

const VIEW_COLUMNS = `id, contract_id AS "contractId", reason, status, amount_fen AS "amountFen", deemed_accepted_at AS "deemedAcceptedAt",
  answer_reason AS "answerReason", answered_at AS "answeredAt", created_at AS "createdAt"`;

@Injectable()
export class RefundRequestsRepository {
  view(db: Db, id: string): Promise<RefundRequestView | undefined> {
    return firstRow(db, `SELECT ${VIEW_COLUMNS} FROM refund_requests WHERE id = $1`, [id]);
  }

  openOf(db: Db, contractId: string): Promise<{ id: string } | undefined> {
    return firstRow(db, `SELECT id FROM refund_requests WHERE contract_id = $1 AND status = 'requested'`, [contractId]);
  }

  /** Inserts a request; false when one with this id exists already (a retry). */
  async insert(
    db: Db,
    request: { id: string; contractId: string; institutionId: string; reason: string; deemedAcceptedAt: Date; createdAt: Date },
  ): Promise<boolean> {
    const inserted = await rows(
      db,
      `INSERT INTO refund_requests (id, contract_id, institution_id, reason, status, deemed_accepted_at, created_at)
       VALUES ($1, $2, $3, $4, 'requested', $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
      [request.id, request.contractId, request.institutionId, request.reason, request.deemedAcceptedAt, request.createdAt],
    );
    return inserted.length > 0;
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

  ofInstitutions(db: Db, institutionIds: string[], status: string | undefined, limit: number): Promise<RefundRequestView[]> {
    return rows(
      db,
      `SELECT ${VIEW_COLUMNS} FROM refund_requests WHERE institution_id = ANY($1::uuid[]) AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC LIMIT $3`,
      [institutionIds, status ?? null, limit],
    );
  }
}
