import { types } from 'pg';
import type { TypeId } from 'pg-types';

/**
 * Calendar dates stay 'YYYY-MM-DD' strings: parsing them into a JS Date would shift them by the
 * process's time zone. bigint (money in fen, counts) becomes a number, which is exact up to 2^53 fen
 * (90 trillion yuan); anything larger is refused rather than rounded.
 */
// pg's TypeId enum lists scalar types only; array OIDs are cast.
const DATE = 1082 as TypeId;
const DATE_ARRAY = 1182 as TypeId;
const TEXT_ARRAY = 1009 as TypeId;
const INT8 = 20 as TypeId;
const INT8_ARRAY = 1016 as TypeId;

function toSafeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`bigint ${value} exceeds the safe integer range`);
  return parsed;
}

export function installPgTypeParsers(): void {
  types.setTypeParser(DATE, (value: string) => value);
  types.setTypeParser(DATE_ARRAY, types.getTypeParser(TEXT_ARRAY));
  types.setTypeParser(INT8, toSafeInteger);
  const parseTextArray = types.getTypeParser(TEXT_ARRAY) as (value: string) => string[];
  types.setTypeParser(INT8_ARRAY, (value: string) => parseTextArray(value).map(toSafeInteger));
}

installPgTypeParsers();
