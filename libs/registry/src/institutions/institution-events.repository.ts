import { Injectable } from '@nestjs/common';
import { Db, rows } from '@app/core';
import type { InstitutionStatus } from '../licence/licence-state-machine';

/** One step of an institution's licence history: who, when, why. Append-only (the database refuses UPDATE and DELETE). */
export interface InstitutionEvent {
  id: number;
  institutionId: string;
  action: string;
  fromStatus: InstitutionStatus;
  toStatus: InstitutionStatus;
  actorId: string | null;
  actorRole: string;
  reason: string | null;
  at: Date;
}

const COLUMNS = `id, institution_id AS "institutionId", action, from_status AS "fromStatus", to_status AS "toStatus", actor_id AS "actorId",
  actor_role AS "actorRole", reason, at`;

@Injectable()
export class InstitutionEventsRepository {
  async insert(db: Db, event: Omit<InstitutionEvent, 'id'>): Promise<void> {
    await db.query(
      `INSERT INTO institution_events (institution_id, action, from_status, to_status, actor_id, actor_role, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [event.institutionId, event.action, event.fromStatus, event.toStatus, event.actorId, event.actorRole, event.reason, event.at],
    );
  }

  /** Oldest first. */
  ofInstitution(db: Db, institutionId: string): Promise<InstitutionEvent[]> {
    return rows<InstitutionEvent>(db, `SELECT ${COLUMNS} FROM institution_events WHERE institution_id = $1 ORDER BY id`, [institutionId]);
  }
}
