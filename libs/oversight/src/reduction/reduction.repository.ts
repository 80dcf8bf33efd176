import { Injectable } from '@nestjs/common';
import { Db, LOCK, firstRow, rows } from '@app/core';
import { ReductionFigures } from './reduction-rate';

export interface BaselineRow extends ReductionFigures {
  districtCode: string;
  /** The date the figures describe, YYYY-MM-DD. */
  date: string;
}

/** Figures summed over districts at one date; `districts` says how many had a snapshot (with none, the sums are null). */
export interface SnapshotSumsRow {
  date: string;
  subjectOffline: number;
  subjectOnline: number;
  students: number;
  districts: number;
}

const FIGURES = `subject_offline AS "subjectOffline", subject_online AS "subjectOnline", students`;
const SUMS = `sum(subject_offline)::int AS "subjectOffline", sum(subject_online)::int AS "subjectOnline", sum(students)::int AS students, count(*)::int AS districts`;

/** Baselines (one per district) and daily snapshots (one per district and date). */
@Injectable()
export class ReductionRepository {
  lockBaseline(db: Db, districtCode: string): Promise<Omit<BaselineRow, 'districtCode'> | undefined> {
    return firstRow(db, `SELECT date, ${FIGURES} FROM reduction_baselines WHERE district_code = $1 ${LOCK}`, [districtCode]);
  }

  async hasBaseline(db: Db, districtCode: string): Promise<boolean> {
    return Boolean(await firstRow(db, `SELECT 1 FROM reduction_baselines WHERE district_code = $1`, [districtCode]));
  }

  async upsertBaseline(db: Db, baseline: BaselineRow, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO reduction_baselines (district_code, date, subject_offline, subject_online, students, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (district_code) DO UPDATE SET date = EXCLUDED.date, subject_offline = EXCLUDED.subject_offline, subject_online = EXCLUDED.subject_online,
         students = EXCLUDED.students, updated_at = EXCLUDED.updated_at`,
      [baseline.districtCode, baseline.date, baseline.subjectOffline, baseline.subjectOnline, baseline.students, at],
    );
  }

  baseline(db: Db, districtCode: string): Promise<(BaselineRow & { updatedAt: Date }) | undefined> {
    return firstRow(
      db,
      `SELECT district_code AS "districtCode", date, ${FIGURES}, updated_at AS "updatedAt" FROM reduction_baselines WHERE district_code = $1`,
      [districtCode],
    );
  }

  baselines(db: Db, districtCodes: string[]): Promise<BaselineRow[]> {
    return rows(
      db,
      `SELECT district_code AS "districtCode", date, ${FIGURES} FROM reduction_baselines WHERE district_code = ANY($1::text[]) ORDER BY district_code`,
      [districtCodes],
    );
  }

  /** One snapshot per district for `date`; a second one the same day replaces the first. Answers the districts written. */
  async upsertSnapshots(db: Db, date: string, snapshots: Array<ReductionFigures & { districtCode: string }>): Promise<string[]> {
    const written = await rows<{ districtCode: string }>(
      db,
      `INSERT INTO reduction_snapshots (district_code, date, subject_offline, subject_online, students)
       SELECT code, $1::date, offline, online, students FROM unnest($2::text[], $3::int[], $4::int[], $5::int[]) AS s(code, offline, online, students)
       ON CONFLICT (district_code, date) DO UPDATE SET
         subject_offline = EXCLUDED.subject_offline, subject_online = EXCLUDED.subject_online, students = EXCLUDED.students
       RETURNING district_code AS "districtCode"`,
      [
        date,
        snapshots.map((s) => s.districtCode),
        snapshots.map((s) => s.subjectOffline),
        snapshots.map((s) => s.subjectOnline),
        snapshots.map((s) => s.students),
      ],
    );
    return written.map((row) => row.districtCode);
  }

  /** The snapshots of `from`..`to`, summed over the districts, one row per date. */
  dailySums(db: Db, districtCodes: string[], from: string, to: string): Promise<SnapshotSumsRow[]> {
    return rows(
      db,
      `SELECT date, ${SUMS} FROM reduction_snapshots WHERE district_code = ANY($1::text[]) AND date BETWEEN $2 AND $3 GROUP BY date ORDER BY date`,
      [districtCodes, from, to],
    );
  }

  /** The snapshots of `date`, summed over the districts. */
  async sumsAt(db: Db, districtCodes: string[], date: string): Promise<SnapshotSumsRow> {
    return (await firstRow<SnapshotSumsRow>(
      db,
      `SELECT $2::date AS date, ${SUMS} FROM reduction_snapshots WHERE district_code = ANY($1::text[]) AND date = $2`,
      [districtCodes, date],
    ))!;
  }

  async latestDate(db: Db, districtCodes: string[]): Promise<string | null> {
    return (await firstRow<{ latest: string | null }>(db, `SELECT max(date) AS latest FROM reduction_snapshots WHERE district_code = ANY($1::text[])`, [
      districtCodes,
    ]))!.latest;
  }
}
