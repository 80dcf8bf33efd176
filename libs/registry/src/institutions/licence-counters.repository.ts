import { Injectable } from '@nestjs/common';
import { Db, firstRow } from '@app/core';

@Injectable()
export class LicenceCountersRepository {
  /**
   * The next number of a district's year, from 1. The upsert takes the counter row's lock until the
   * caller's transaction ends, so two approvals never draw the same number.
   */
  async next(db: Db, districtCode: string, year: number): Promise<number> {
    const counter = await firstRow<{ last: number }>(
      db,
      `INSERT INTO licence_counters (district_code, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (district_code, year) DO UPDATE SET last = licence_counters.last + 1 RETURNING last`,
      [districtCode, year],
    );
    return counter!.last;
  }
}
