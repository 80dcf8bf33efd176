import { Injectable, Logger } from '@nestjs/common';
import { AuditService, Clock, Principal, ReferenceDataService, canSeeDistrict, notFound, unprocessable } from '@app/core';
import { addDays } from '@app/core/calendar/shanghai-time';
import divisions from '@app/core/reference/data/districts.json';
import { DataSource, EntityManager } from 'typeorm';
import { ReductionFigures, reductionRates } from './reduction-rate';

export interface BaselineInput extends ReductionFigures {
  districtCode: string;
  date: string;
}

/** A district, or a city standing for the sum over its served districts. */
interface Area {
  code: string;
  name: string;
  nameEn: string;
  level: 'district' | 'city';
  districts: string[];
}

type Dated = ReductionFigures & { date: string };

const DEFAULT_RANGE_DAYS = 90;
const MAX_RANGE_DAYS = 366;
const FIGURES = `subject_offline AS "subjectOffline", subject_online AS "subjectOnline", students`;
const SUMS = `sum(subject_offline)::int AS "subjectOffline", sum(subject_online)::int AS "subjectOnline", sum(students)::int AS students`;

/**
 * Reduction tracking (DESIGN §7): a baseline per district, a daily snapshot per served district, and
 * the series and rates against the baseline, for a district or summed over a city.
 */
@Injectable()
export class ReductionService {
  private readonly logger = new Logger(ReductionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Records a district's baseline; a city regulator may set any of its districts'. A city's baseline is the sum of its districts'. */
  async setBaseline(principal: Principal, input: BaselineInput) {
    const area = await this.area(input.districtCode, principal);
    if (area.level === 'city') {
      throw unprocessable('REDUCTION.CITY_BASELINE', `${area.name} is a city: set the baseline of each of its districts; the city's is their sum.`, {
        errors: [{ field: 'districtCode', message: 'must be a district, not a city' }],
      });
    }
    if (input.date > this.clock.today()) {
      throw unprocessable('REDUCTION.FUTURE_BASELINE', 'A baseline records figures already known: its date cannot be in the future.', {
        errors: [{ field: 'date', message: 'must not be after today' }],
      });
    }
    return this.dataSource.transaction(async (manager) => {
      const [previous] = await manager.query(`SELECT date, ${FIGURES} FROM reduction_baselines WHERE district_code = $1 FOR UPDATE`, [area.code]);
      await this.upsertBaseline(manager, input);
      await this.audit.record(manager, {
        action: 'reduction.baseline_set',
        targetType: 'district',
        targetId: area.code,
        districtCode: area.code,
        details: {
          date: input.date,
          subjectOffline: input.subjectOffline,
          subjectOnline: input.subjectOnline,
          students: input.students,
          previous: previous ?? null,
        },
      });
      const [saved] = await manager.query(
        `SELECT district_code AS "districtCode", date, ${FIGURES}, updated_at AS "updatedAt" FROM reduction_baselines WHERE district_code = $1`,
        [area.code],
      );
      return { ...saved, subjectInstitutions: saved.subjectOffline + saved.subjectOnline };
    });
  }

  /**
   * Today's figures for every served district: subject institutions operating (licensed) offline and
   * online, and pupils with an active contract (distinct parent and student name). One upsert per run:
   * a second run the same day rewrites the day's row with the figures of that moment.
   */
  async takeSnapshots(businessDate?: string): Promise<{ date: string; districts: number }> {
    const date = businessDate ?? this.clock.today();
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO reduction_snapshots (district_code, date, subject_offline, subject_online, students)
       SELECT d.code, $1::date,
         (SELECT count(*) FROM institutions i WHERE i.district_code = d.code AND i.category = 'subject' AND i.delivery = 'offline' AND i.status = 'licensed'),
         (SELECT count(*) FROM institutions i WHERE i.district_code = d.code AND i.category = 'subject' AND i.delivery = 'online' AND i.status = 'licensed'),
         (SELECT count(*) FROM (SELECT DISTINCT c.parent_user_id, c.student_name FROM contracts c WHERE c.district_code = d.code AND c.status = 'active') s)
       FROM districts d WHERE d.city_code IS NOT NULL
       ON CONFLICT (district_code, date) DO UPDATE SET
         subject_offline = EXCLUDED.subject_offline, subject_online = EXCLUDED.subject_online, students = EXCLUDED.students
       RETURNING district_code`,
      [date],
    );
    this.logger.log(`reduction snapshot of ${date}: ${rows.length} districts`);
    return { date, districts: rows.length };
  }

  /** Baseline, daily snapshots from..to (default: the last 90 days) and the rates of the latest, for a regulator in scope. */
  async series(principal: Principal, query: { districtCode?: string; from?: string; to?: string }) {
    const code = query.districtCode ?? principal.districtCode;
    if (!code) {
      throw unprocessable('REDUCTION.DISTRICT_REQUIRED', 'Say which district or city with districtCode.', {
        errors: [{ field: 'districtCode', message: 'required' }],
      });
    }
    const area = await this.area(code, principal);
    const to = query.to ?? this.clock.today();
    const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
    if (from > to) throw unprocessable('REDUCTION.RANGE', 'from comes after to.', { errors: [{ field: 'from', message: 'must not be after to' }] });
    if (from < addDays(to, -(MAX_RANGE_DAYS - 1))) {
      throw unprocessable('REDUCTION.RANGE', `Ask for at most ${MAX_RANGE_DAYS} days at a time.`, {
        errors: [{ field: 'from', message: `at most ${MAX_RANGE_DAYS} days before to` }],
      });
    }
    const manager = this.dataSource.manager;
    const snapshots: Array<Dated & { districts: number }> = await manager.query(
      `SELECT date, ${SUMS}, count(*)::int AS districts FROM reduction_snapshots
       WHERE district_code = ANY($1::text[]) AND date BETWEEN $2 AND $3 GROUP BY date ORDER BY date`,
      [area.districts, from, to],
    );
    const latest = snapshots.at(-1)?.date ?? null;
    return { ...this.areaView(area), from, to, ...(await this.against(manager, area, latest)), snapshots: snapshots.map(withTotal) };
  }

  /** The public figures: baseline, latest snapshot and rates. 404 for a district the platform does not serve. */
  async publicStats(code: string) {
    const area = await this.area(code);
    const manager = this.dataSource.manager;
    const [{ latest }] = await manager.query(`SELECT max(date) AS latest FROM reduction_snapshots WHERE district_code = ANY($1::text[])`, [area.districts]);
    return { ...this.areaView(area), ...(await this.against(manager, area, latest)) };
  }

  /**
   * Demo data: Yuelu's baseline of 2021-07-24 (the "double reduction" opinions) with its published
   * 15,600 pupils; the published figure for institutions is a rate (−85%), so the subject-institution
   * baseline is derived from the demo register so that the demo shows that rate. Then today's snapshot.
   * Does nothing when Yuelu already has a baseline.
   */
  async loadDemoBaseline(): Promise<void> {
    const yuelu = divisions.districts.find((district) => district.nameEn === 'Yuelu')!.code;
    const figures = divisions.yueluFigures;
    const [current] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE delivery = 'offline')::int AS offline, count(*) FILTER (WHERE delivery = 'online')::int AS online
       FROM institutions WHERE district_code = $1 AND category = 'subject' AND status = 'licensed'`,
      [yuelu],
    );
    const remaining = 1 - figures.subjectInstitutionReductionRate;
    await this.dataSource.transaction(async (manager) => {
      const [existing] = await manager.query(`SELECT 1 FROM reduction_baselines WHERE district_code = $1`, [yuelu]);
      if (existing) return;
      const baseline = {
        districtCode: yuelu,
        date: '2021-07-24',
        subjectOffline: Math.round(current.offline / remaining),
        subjectOnline: Math.round(current.online / remaining),
        students: figures.studentsInOffCampusTraining.before,
      };
      await this.upsertBaseline(manager, baseline);
      await this.audit.record(manager, {
        action: 'reduction.baseline_set',
        targetType: 'district',
        targetId: yuelu,
        districtCode: yuelu,
        reason: 'demo data',
        details: { ...baseline },
      });
    });
    await this.takeSnapshots();
  }

  private upsertBaseline(manager: EntityManager, input: BaselineInput) {
    return manager.query(
      `INSERT INTO reduction_baselines (district_code, date, subject_offline, subject_online, students, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (district_code) DO UPDATE SET date = EXCLUDED.date, subject_offline = EXCLUDED.subject_offline, subject_online = EXCLUDED.subject_online,
         students = EXCLUDED.students, updated_at = EXCLUDED.updated_at`,
      [input.districtCode, input.date, input.subjectOffline, input.subjectOnline, input.students, this.clock.now()],
    );
  }

  /**
   * The baseline, the snapshot of `date` and the rates between them. For a city the baseline is the sum
   * over the districts that have one, and the rates compare it with the same districts' snapshots, so a
   * district without a baseline does not count as growth or reduction; `latest` covers every district.
   */
  private async against(manager: EntityManager, area: Area, date: string | null) {
    const baselines: Array<Dated & { districtCode: string }> = await manager.query(
      `SELECT district_code AS "districtCode", date, ${FIGURES} FROM reduction_baselines WHERE district_code = ANY($1::text[]) ORDER BY district_code`,
      [area.districts],
    );
    const covered = baselines.map((row) => row.districtCode);
    const baseline = baselines.length
      ? withTotal({
          date: baselines.map((row) => row.date).sort()[0],
          subjectOffline: sum(baselines, 'subjectOffline'),
          subjectOnline: sum(baselines, 'subjectOnline'),
          students: sum(baselines, 'students'),
          districts: covered,
        })
      : null;
    if (!date) return { baseline, latest: null, rates: null };
    const [latest]: Array<Dated & { districts: number }> = await manager.query(
      `SELECT $2::date AS date, ${SUMS}, count(*)::int AS districts FROM reduction_snapshots WHERE district_code = ANY($1::text[]) AND date = $2`,
      [area.districts, date],
    );
    if (!baseline) return { baseline, latest: withTotal(latest), rates: null };
    const [comparable]: ReductionFigures[] = await manager.query(
      `SELECT ${SUMS} FROM reduction_snapshots WHERE district_code = ANY($1::text[]) AND date = $2`,
      [covered, date],
    );
    const rates = comparable.subjectOffline === null ? null : { date, districts: covered, ...reductionRates(baseline, comparable) };
    return { baseline, latest: withTotal(latest), rates };
  }

  /** A served district or city; with a principal, only one in its scope. Anything else is 404 like an unknown code. */
  private async area(code: string, principal?: Principal): Promise<Area> {
    const district = await this.reference.findDistrict(code);
    if (!district || (principal && !canSeeDistrict(principal, code))) throw notFound(`District ${code}`, 'REFERENCE.UNKNOWN_DISTRICT');
    if (district.cityCode) return { code, name: district.name, nameEn: district.nameEn, level: 'district', districts: [code] };
    const members: Array<{ code: string }> = await this.dataSource.query(`SELECT code FROM districts WHERE city_code = $1 AND code <> $1 ORDER BY code`, [
      code,
    ]);
    return { code, name: district.name, nameEn: district.nameEn, level: 'city', districts: members.map((member) => member.code) };
  }

  private areaView(area: Area) {
    return { districtCode: area.code, name: area.name, nameEn: area.nameEn, level: area.level, districts: area.districts };
  }
}

function sum<T>(rows: T[], key: keyof T): number {
  return rows.reduce((total, row) => total + Number(row[key]), 0);
}

function withTotal<T extends ReductionFigures>(figures: T): T & { subjectInstitutions: number } {
  return { ...figures, subjectInstitutions: figures.subjectOffline + figures.subjectOnline };
}
