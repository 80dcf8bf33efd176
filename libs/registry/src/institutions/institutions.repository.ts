import { Injectable } from '@nestjs/common';
import { Db, LOCK, changedRows, firstRow, rows } from '@app/core';
import type { InstitutionStatus } from '../licence/licence-state-machine';

export type InstitutionCategory = 'subject' | 'non_subject';
export type Delivery = 'offline' | 'online';
export type RiskLevel = 'green' | 'yellow' | 'red';

/** An institution as stored (its search grams and risk bookkeeping aside). */
export interface Institution {
  id: string;
  ownerUserId: string;
  name: string;
  /** Unified social credit code (GB 32100-2015). */
  uscc: string;
  districtCode: string;
  address: string;
  category: InstitutionCategory;
  delivery: Delivery;
  legalRepresentative: string;
  premisesAreaM2: number;
  capacity: number;
  phone: string;
  status: InstitutionStatus;
  /** Funds frozen by a regulator: lessons still accrue, settlements pay nothing. */
  frozen: boolean;
  riskLevel: RiskLevel;
  licenceNumber: string | null;
  /** Business dates, YYYY-MM-DD. */
  licenceValidFrom: string | null;
  licenceValidUntil: string | null;
  /** Closed by the regulator's order (black), not at the institution's own request (no list colour). */
  closedByOrder: boolean;
  /** A renewal applied for and not yet decided: when, and for how many years. */
  renewalAppliedAt: Date | null;
  renewalValidYears: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What an owner files and may change while the application is a draft or returned. */
export type InstitutionDraft = Pick<
  Institution,
  'name' | 'uscc' | 'districtCode' | 'address' | 'category' | 'delivery' | 'legalRepresentative' | 'premisesAreaM2' | 'capacity' | 'phone'
>;

/** Whose institutions a query may return: one owner's, or those of the districts matching a LIKE pattern. */
export type InstitutionScope = { ownerUserId: string } | { districtPattern: string };

export interface InstitutionFilter {
  status?: InstitutionStatus;
  districtCode?: string;
  /** Part of the name, matched case-insensitively. */
  q?: string;
  /** Only those whose renewal awaits a decision. */
  renewalPending?: boolean;
  limit: number;
  offset: number;
}

/** The licence fields a transition sets; a field left out keeps its value (a licence is never cleared). */
export interface LicenceChange {
  status: InstitutionStatus;
  licenceNumber?: string;
  licenceValidFrom?: string;
  licenceValidUntil?: string;
  closedByOrder?: boolean;
  /** A renewal applied for (`apply`), or none pending any more (`clear`); absent: unchanged. */
  renewal?: { apply: { at: Date; validYears: number } } | 'clear';
}

const COLUMNS = `id, owner_user_id AS "ownerUserId", name, uscc, district_code AS "districtCode", address, category, delivery,
  legal_representative AS "legalRepresentative", premises_area_m2 AS "premisesAreaM2", capacity, phone, status, frozen,
  risk_level AS "riskLevel", licence_number AS "licenceNumber", licence_valid_from AS "licenceValidFrom",
  licence_valid_until AS "licenceValidUntil", closed_by_order AS "closedByOrder", renewal_applied_at AS "renewalAppliedAt",
  renewal_valid_years AS "renewalValidYears", created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class InstitutionsRepository {
  /** The new draft, or undefined when its credit code is registered already (the unique index decides). */
  insertDraft(db: Db, draft: InstitutionDraft & { ownerUserId: string; at: Date }): Promise<Institution | undefined> {
    return firstRow<Institution>(
      db,
      `INSERT INTO institutions (owner_user_id, name, uscc, district_code, address, category, delivery, legal_representative, premises_area_m2,
                                 capacity, phone, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $12)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [
        draft.ownerUserId,
        draft.name,
        draft.uscc,
        draft.districtCode,
        draft.address,
        draft.category,
        draft.delivery,
        draft.legalRepresentative,
        draft.premisesAreaM2,
        draft.capacity,
        draft.phone,
        draft.at,
      ],
    );
  }

  /** Locks the row for the rest of the caller's transaction (docs/architecture.md: institution first in the lock order). */
  lock(db: Db, id: string): Promise<Institution | undefined> {
    return firstRow<Institution>(db, `SELECT ${COLUMNS} FROM institutions WHERE id = $1 ${LOCK}`, [id]);
  }

  find(db: Db, id: string, scope: InstitutionScope): Promise<Institution | undefined> {
    const params: unknown[] = [id];
    return firstRow<Institution>(db, `SELECT ${COLUMNS} FROM institutions WHERE id = $1 AND ${scopeCondition(scope, params)}`, params);
  }

  /** Newest first. */
  async page(db: Db, scope: InstitutionScope, filter: InstitutionFilter): Promise<{ items: Institution[]; total: number }> {
    const params: unknown[] = [];
    const where = [scopeCondition(scope, params)];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.districtCode) where.push(`district_code = $${params.push(filter.districtCode)}`);
    if (filter.renewalPending) where.push(`renewal_applied_at IS NOT NULL`);
    if (filter.q) where.push(`name ILIKE $${params.push(`%${filter.q.replace(/[\\%_]/g, '\\$&')}%`)}`);
    const clause = where.join(' AND ');
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM institutions WHERE ${clause}`, params);
    const items = await rows<Institution>(
      db,
      `SELECT ${COLUMNS} FROM institutions WHERE ${clause} ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items, total: counted?.total ?? 0 };
  }

  async usccTaken(db: Db, uscc: string): Promise<boolean> {
    return Boolean(await firstRow(db, `SELECT 1 FROM institutions WHERE uscc = $1`, [uscc]));
  }

  async updateDraft(db: Db, id: string, draft: InstitutionDraft, at: Date): Promise<Institution> {
    const [updated] = await changedRows<Institution>(
      db,
      `UPDATE institutions SET name = $2, uscc = $3, district_code = $4, address = $5, category = $6, delivery = $7, legal_representative = $8,
                               premises_area_m2 = $9, capacity = $10, phone = $11, updated_at = $12
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        draft.name,
        draft.uscc,
        draft.districtCode,
        draft.address,
        draft.category,
        draft.delivery,
        draft.legalRepresentative,
        draft.premisesAreaM2,
        draft.capacity,
        draft.phone,
        at,
      ],
    );
    return updated;
  }

  async changeLicence(db: Db, id: string, change: LicenceChange, at: Date): Promise<Institution> {
    const [updated] = await changedRows<Institution>(
      db,
      `UPDATE institutions SET status = $2, licence_number = coalesce($3, licence_number), licence_valid_from = coalesce($4::date, licence_valid_from),
                               licence_valid_until = coalesce($5::date, licence_valid_until), updated_at = $6,
                               closed_by_order = coalesce($7, closed_by_order),
                               renewal_applied_at = CASE WHEN $8::text = 'keep' THEN renewal_applied_at ELSE $9::timestamptz END,
                               renewal_valid_years = CASE WHEN $8::text = 'keep' THEN renewal_valid_years ELSE $10::int END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        change.status,
        change.licenceNumber ?? null,
        change.licenceValidFrom ?? null,
        change.licenceValidUntil ?? null,
        at,
        change.closedByOrder ?? null,
        change.renewal === undefined ? 'keep' : 'set',
        change.renewal && change.renewal !== 'clear' ? change.renewal.apply.at : null,
        change.renewal && change.renewal !== 'clear' ? change.renewal.apply.validYears : null,
      ],
    );
    return updated;
  }

  async setFrozen(db: Db, id: string, frozen: boolean, at: Date): Promise<Institution> {
    const [updated] = await changedRows<Institution>(db, `UPDATE institutions SET frozen = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [
      id,
      frozen,
      at,
    ]);
    return updated;
  }

  /**
   * Locks the licences whose validity ends by `today` with a renewal still undecided: the expiry job
   * deems each granted (docs/domain.md, "Licences") before it expires the rest.
   */
  lockRenewalsDue(db: Db, today: string): Promise<Institution[]> {
    return rows<Institution>(
      db,
      `SELECT ${COLUMNS} FROM institutions WHERE status = 'licensed' AND renewal_applied_at IS NOT NULL AND licence_valid_until <= $1 ORDER BY id ${LOCK}`,
      [today],
    );
  }

  /** Expires every licence whose validity ended before `today`, in one guarded statement: a second run finds nothing. */
  expireDue(db: Db, today: string, at: Date): Promise<Pick<Institution, 'id' | 'districtCode' | 'licenceNumber' | 'status'>[]> {
    return changedRows(
      db,
      `UPDATE institutions SET status = 'expired', updated_at = $2
       WHERE status = 'licensed' AND licence_valid_until < $1
       RETURNING id, district_code AS "districtCode", licence_number AS "licenceNumber", status`,
      [today, at],
    );
  }
}

/** The scope as a condition; its value is appended to `params`. */
function scopeCondition(scope: InstitutionScope, params: unknown[]): string {
  return 'ownerUserId' in scope ? `owner_user_id = $${params.push(scope.ownerUserId)}` : `district_code LIKE $${params.push(scope.districtPattern)}`;
}
