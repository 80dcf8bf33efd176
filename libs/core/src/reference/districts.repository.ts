import { Injectable } from '@nestjs/common';
import { Db, changedCount, firstRow, rows } from '../database/sql';

/** A GB/T 2260 division the platform serves: a city (XXXX00) or one of its districts. */
export interface District {
  code: string;
  name: string;
  nameEn: string;
  /** The city's code for a district; null for a city. */
  cityCode: string | null;
  province: string | null;
}

const COLUMNS = `code, name, name_en AS "nameEn", city_code AS "cityCode", province`;

@Injectable()
export class DistrictsRepository {
  all(db: Db): Promise<District[]> {
    return rows<District>(db, `SELECT ${COLUMNS} FROM districts ORDER BY code`);
  }

  find(db: Db, code: string): Promise<District | undefined> {
    return firstRow<District>(db, `SELECT ${COLUMNS} FROM districts WHERE code = $1`, [code]);
  }

  /** Whether the row was added (false: it was served already, and is left as it is). */
  async insertIfNew(db: Db, district: District): Promise<boolean> {
    const inserted = await rows(
      db,
      `INSERT INTO districts (code, name, name_en, city_code, province) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING code`,
      [district.code, district.name, district.nameEn, district.cityCode, district.province],
    );
    return inserted.length > 0;
  }

  /** Whether the English name changed. */
  async rename(db: Db, code: string, nameEn: string): Promise<boolean> {
    return (await changedCount(db, `UPDATE districts SET name_en = $2 WHERE code = $1 AND name_en <> $2`, [code, nameEn])) > 0;
  }
}
