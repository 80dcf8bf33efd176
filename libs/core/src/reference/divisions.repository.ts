import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '../database/sql';

export type DivisionLevel = 'province' | 'city' | 'district';

/**
 * One GB/T 2260 administrative division of the national list (migration 1764550000000-Divisions):
 * a province (XX0000), a city (XXXX00) or a county-level district. Whether the platform serves it is
 * the `districts` table's business, not this one's.
 */
export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  /** The city of a district (its province when it has no city: 省直辖县), the province of a city; null for a province. */
  parentCode: string | null;
}

/** A division of the national list, with whether the platform serves it (has it in `districts`). */
export interface DivisionView extends Division {
  served: boolean;
}

export interface DivisionFilter {
  parentCode?: string;
  level?: DivisionLevel;
  /** Part of a name, or the start of a code. */
  q?: string;
  limit: number;
  offset: number;
}

const COLUMNS = `d.code, d.name, d.level, d.parent_code AS "parentCode"`;

@Injectable()
export class DivisionsRepository {
  find(db: Db, code: string): Promise<Division | undefined> {
    return firstRow<Division>(db, `SELECT ${COLUMNS} FROM divisions d WHERE d.code = $1`, [code]);
  }

  /** In code order; only the filters given apply (the caller decides what no filter means). */
  async page(db: Db, filter: DivisionFilter): Promise<{ items: DivisionView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.parentCode) {
      params.push(filter.parentCode);
      where.push(`d.parent_code = $${params.length}`);
    }
    if (filter.level) {
      params.push(filter.level);
      where.push(`d.level = $${params.length}`);
    }
    if (filter.q) {
      const escaped = filter.q.replace(/[\\%_]/g, '\\$&');
      params.push(`%${escaped}%`, `${escaped}%`);
      where.push(`(d.name LIKE $${params.length - 1} OR d.code LIKE $${params.length})`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const counted = await firstRow<{ total: number }>(db, `SELECT count(*)::int AS total FROM divisions d ${clause}`, params);
    const items = await rows<DivisionView>(
      db,
      `SELECT ${COLUMNS}, (s.code IS NOT NULL) AS served
       FROM divisions d LEFT JOIN districts s ON s.code = d.code ${clause}
       ORDER BY d.code LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items, total: counted?.total ?? 0 };
  }
}
