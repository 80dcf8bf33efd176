import { Injectable, Logger } from '@nestjs/common';
import { AuditService, Clock, Principal, ReferenceDataService, canSeeDistrict, notFound, unprocessable } from '@app/core';
import { addDays } from '@app/core/calendar/shanghai-time';
import divisions from '@app/core/reference/data/districts.json';
import { InstitutionFactsService } from '@app/registry';
import { TuitionFactsService } from '@app/tuition';
import { DataSource } from 'typeorm';
import { BaselineRow, ReductionRepository, SnapshotSumsRow } from './reduction.repository';
import { ReductionFigures, ReductionRate, ReductionSeries, reductionRates } from './reduction-rate';

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

type WithTotal<T> = T & { subjectInstitutions: number };

export type SavedBaseline = WithTotal<BaselineRow & { updatedAt: Date }>;

/** A baseline of a district, or the sum of a city's districts' baselines (its date the earliest of theirs). */
export type AreaBaseline = WithTotal<ReductionFigures & { date: string; districts: string[] }>;

export interface AreaFigures {
  districtCode: string;
  name: string;
  nameEn: string;
  level: 'district' | 'city';
  districts: string[];
  baseline: AreaBaseline | null;
  /** The latest snapshot, summed over the area's districts. */
  latest: WithTotal<SnapshotSumsRow> | null;
  /** Each series against the baseline, over the districts that have one. */
  rates: ({ date: string; districts: string[] } & Record<ReductionSeries, ReductionRate & { label: string }>) | null;
}

export interface ReductionSeriesView extends AreaFigures {
  from: string;
  to: string;
  snapshots: Array<WithTotal<SnapshotSumsRow>>;
}

const DEFAULT_RANGE_DAYS = 90;
const MAX_RANGE_DAYS = 366;

/**
 * Reduction tracking (docs/domain.md, “Reduction”): a baseline per district, a daily snapshot per served district, and
 * the series and rates against the baseline, for a district or summed over a city.
 */
@Injectable()
export class ReductionService {
  private readonly logger = new Logger(ReductionService.name);

  constructor(
    private readonly reduction: ReductionRepository,
    private readonly register: InstitutionFactsService,
    private readonly tuition: TuitionFactsService,
    private readonly reference: ReferenceDataService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Records a district's baseline; a city regulator may set any of its districts'. A city's baseline is the sum of its districts'. */
  async setBaseline(principal: Principal, input: BaselineInput): Promise<SavedBaseline> {
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
      const previous = await this.reduction.lockBaseline(manager, area.code);
      await this.reduction.upsertBaseline(manager, input, this.clock.now());
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
      return withTotal((await this.reduction.baseline(manager, area.code))!);
    });
  }

  /**
   * Today's figures for every served district: subject institutions holding a valid licence (licensed,
   * suspended or enrolment-stopped: a suspended one is not out of business) offline and online, and
   * pupils with an active subject-category contract (distinct parent and student name) — docs/domain.md,
   * "Reduction". One upsert per run:
   * a second run the same day rewrites the day's row with the figures of that moment.
   */
  async takeSnapshots(businessDate?: string): Promise<{ date: string; districts: number }> {
    const date = businessDate ?? this.clock.today();
    const served = (await this.reference.listDistricts()).filter((district) => district.cityCode !== null).map((district) => district.code);
    const [institutions, pupils] = await Promise.all([this.register.licensedSubjectCounts(served), this.tuition.activeSubjectPupils(served)]);
    const written = await this.reduction.upsertSnapshots(
      this.dataSource.manager,
      date,
      served.map((districtCode) => ({
        districtCode,
        subjectOffline: institutions.get(districtCode)!.offline,
        subjectOnline: institutions.get(districtCode)!.online,
        students: pupils.get(districtCode)!,
      })),
    );
    this.logger.log(`reduction snapshot of ${date}: ${written.length} districts`);
    return { date, districts: written.length };
  }

  /** Baseline, daily snapshots from..to (default: the last 90 days) and the rates of the latest, for a regulator in scope. */
  async series(principal: Principal, query: { districtCode?: string; from?: string; to?: string }): Promise<ReductionSeriesView> {
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
    const snapshots = await this.reduction.dailySums(this.dataSource.manager, area.districts, from, to);
    const latest = snapshots.at(-1)?.date ?? null;
    const { baseline, latest: latestSums, rates } = await this.against(area, latest);
    return { ...areaView(area), from, to, baseline, latest: latestSums, rates, snapshots: snapshots.map(withTotal) };
  }

  /** The public figures: baseline, latest snapshot and rates. 404 for a district the platform does not serve. */
  async publicStats(code: string): Promise<AreaFigures> {
    const area = await this.area(code);
    const latest = await this.reduction.latestDate(this.dataSource.manager, area.districts);
    return { ...areaView(area), ...(await this.against(area, latest)) };
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
    const current = (await this.register.licensedSubjectCounts([yuelu])).get(yuelu)!;
    const remaining = 1 - figures.subjectInstitutionReductionRate;
    await this.dataSource.transaction(async (manager) => {
      if (await this.reduction.hasBaseline(manager, yuelu)) return;
      const baseline = {
        districtCode: yuelu,
        date: '2021-07-24',
        subjectOffline: Math.round(current.offline / remaining),
        subjectOnline: Math.round(current.online / remaining),
        students: figures.studentsInOffCampusTraining.before,
      };
      await this.reduction.upsertBaseline(manager, baseline, this.clock.now());
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

  /**
   * The baseline, the snapshot of `date` and the rates between them. For a city the baseline is the sum
   * over the districts that have one, and the rates compare it with the same districts' snapshots, so a
   * district without a baseline does not count as growth or reduction; `latest` covers every district.
   */
  private async against(area: Area, date: string | null): Promise<Pick<AreaFigures, 'baseline' | 'latest' | 'rates'>> {
    const db = this.dataSource.manager;
    const baselines = await this.reduction.baselines(db, area.districts);
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
    const latest = withTotal(await this.reduction.sumsAt(db, area.districts, date));
    if (!baseline) return { baseline, latest, rates: null };
    const comparable = await this.reduction.sumsAt(db, covered, date);
    const rates = comparable.districts === 0 ? null : { date, districts: covered, ...reductionRates(baseline, comparable) };
    return { baseline, latest, rates };
  }

  /** A served district or city; with a principal, only one in its scope. Anything else is 404 like an unknown code. */
  private async area(code: string, principal?: Principal): Promise<Area> {
    const district = await this.reference.findDistrict(code);
    if (!district || (principal && !canSeeDistrict(principal, code))) throw notFound(`District ${code}`, 'REFERENCE.UNKNOWN_DISTRICT');
    if (district.cityCode) return { code, name: district.name, nameEn: district.nameEn, level: 'district', districts: [code] };
    const members = (await this.reference.listDistricts()).filter((member) => member.cityCode === code && member.code !== code);
    return { code, name: district.name, nameEn: district.nameEn, level: 'city', districts: members.map((member) => member.code) };
  }
}

function areaView(area: Area): Pick<AreaFigures, 'districtCode' | 'name' | 'nameEn' | 'level' | 'districts'> {
  return { districtCode: area.code, name: area.name, nameEn: area.nameEn, level: area.level, districts: area.districts };
}

function sum<T>(rows: T[], key: keyof T): number {
  return rows.reduce((total, row) => total + Number(row[key]), 0);
}

function withTotal<T extends ReductionFigures>(figures: T): WithTotal<T> {
  return { ...figures, subjectInstitutions: figures.subjectOffline + figures.subjectOnline };
}
