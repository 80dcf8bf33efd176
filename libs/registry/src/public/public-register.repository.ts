import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '@app/core';
import type { Delivery, InstitutionCategory, RiskLevel } from '../institutions/institutions.repository';
import type { InstitutionStatus } from '../licence/licence-state-machine';

/** What the public register shows of an institution: never its owner, phone or legal representative. */
export interface RegisterEntry {
  id: string;
  name: string;
  uscc: string;
  districtCode: string;
  address: string;
  category: InstitutionCategory;
  delivery: Delivery;
  status: InstitutionStatus;
  frozen: boolean;
  riskLevel: RiskLevel;
  licenceNumber: string | null;
  licenceValidFrom: string | null;
  licenceValidUntil: string | null;
  renewalPending: boolean;
  closedByOrder: boolean;
}

/**
 * How a search matches: exactly by licence number or USCC; by name, every bigram of the query in the
 * name (GIN on name_grams), ranked by where the query stands in the name and by the name's length; by
 * a similar name (pg_trgm), ranked by similarity; or everything, by name.
 */
export type RegisterMatch = { by: 'licenceNumber' | 'uscc' | 'name' | 'similarName'; value: string } | { by: 'all' };

export interface RegisterQuery {
  statuses: readonly InstitutionStatus[];
  match: RegisterMatch;
  districtCode?: string;
  category?: InstitutionCategory;
  limit: number;
  offset: number;
}

/** The channel the database notifies when a table a public answer reads changes (migration 1764950000000). */
const CHANGES_CHANNEL = 'public_register';

const COLUMNS = `id, name, uscc, district_code AS "districtCode", address, category, delivery, status, frozen, risk_level AS "riskLevel",
  licence_number AS "licenceNumber", licence_valid_from AS "licenceValidFrom", licence_valid_until AS "licenceValidUntil",
  renewal_applied_at IS NOT NULL AS "renewalPending", closed_by_order AS "closedByOrder"`;

@Injectable()
export class PublicRegisterRepository {
  /**
   * One page and the number of matches in one statement: COUNT(*) OVER () counts every match before
   * the LIMIT, in the same pass that ranks them, where a separate COUNT would read all the matches a
   * second time. Only a page past the last one needs a count of its own.
   */
  async search(db: Db, query: RegisterQuery): Promise<{ items: RegisterEntry[]; total: number }> {
    const params: unknown[] = [query.statuses];
    const where = ['status = ANY($1)'];
    let order = 'name, id';
    const { match } = query;
    if (match.by === 'licenceNumber') where.push(`licence_number = $${params.push(match.value)}`);
    if (match.by === 'uscc') where.push(`uscc = $${params.push(match.value)}`);
    if (match.by === 'name') {
      const q = `$${params.push(match.value)}`;
      where.push(`name_grams @> name_grams(${q})`);
      order = `strpos(lower(name), lower(${q})) = 0, length(name), name, id`;
    }
    if (match.by === 'similarName') {
      const q = `$${params.push(match.value)}`;
      where.push(`name % ${q}`);
      order = `similarity(name, ${q}) DESC, id`;
    }
    if (query.districtCode) where.push(`district_code = $${params.push(query.districtCode)}`);
    if (query.category) where.push(`category = $${params.push(query.category)}`);
    const clause = where.join(' AND ');

    const page = await rows<RegisterEntry & { matchCount: number }>(
      db,
      `SELECT ${COLUMNS}, count(*) OVER () AS "matchCount" FROM institutions WHERE ${clause}
       ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    if (page.length) return { items: page.map(({ matchCount: _count, ...entry }) => entry), total: page[0].matchCount };
    if (!query.offset) return { items: [], total: 0 };
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM institutions WHERE ${clause}`, params);
    return { items: [], total: counted?.total ?? 0 };
  }

  find(db: Db, id: string, statuses: readonly InstitutionStatus[]): Promise<RegisterEntry | undefined> {
    return firstRow<RegisterEntry>(db, `SELECT ${COLUMNS} FROM institutions WHERE id = $1 AND status = ANY($2)`, [id, statuses]);
  }

  findByLicenceNumber(db: Db, licenceNumber: string): Promise<RegisterEntry | undefined> {
    return firstRow<RegisterEntry>(db, `SELECT ${COLUMNS} FROM institutions WHERE licence_number = $1`, [licenceNumber]);
  }

  /**
   * Subscribes a connection to the register's change notifications. The connection is the caller's
   * own, held for as long as it listens: a session, not a Db a query borrows.
   */
  async listenForChanges(connection: { query(sql: string): Promise<unknown> }): Promise<void> {
    await connection.query(`LISTEN ${CHANGES_CHANNEL}`);
  }
}
