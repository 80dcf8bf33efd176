import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InstitutionCategory } from '../institutions/institutions.repository';
import type { InstitutionStatus } from '../licence/licence-state-machine';
import { InstitutionFactsRepository, InstitutionFactsRow, OwnedInstitutionRow } from './institution-facts.repository';

export type InstitutionFacts = InstitutionFactsRow;
export type OwnedInstitution = OwnedInstitutionRow;

export interface TeacherCounts {
  teachers: number;
  fullTime: number;
  unqualified: number;
  /** Teachers without a background check on file, and the oldest check on file (null when none is). */
  neverChecked: number;
  oldestBackgroundCheck: string | null;
}

export interface SubjectInstitutionCounts {
  offline: number;
  online: number;
}

const NO_TEACHERS: TeacherCounts = { teachers: 0, fullTime: 0, unqualified: 0, neverChecked: 0, oldestBackgroundCheck: null };

/**
 * The register as the other libs read it (docs/architecture.md, "Cross-lib reads"): institutions,
 * their teachers and courses, for many ids at once, so a nightly scan of ten thousand institutions is a
 * few statements per batch rather than a query per institution.
 */
@Injectable()
export class InstitutionFactsService {
  constructor(
    private readonly facts: InstitutionFactsRepository,
    private readonly dataSource: DataSource,
  ) {}

  /** Ids of every institution in one of `statuses`, in id order. */
  async idsWithStatus(statuses: readonly InstitutionStatus[]): Promise<string[]> {
    return (await this.facts.idsWithStatus(this.dataSource.manager, statuses)).map((row) => row.id);
  }

  /** Ids of the institutions in the districts a code prefix names ('430104' a district, '4301' a city). */
  async idsInDistricts(prefix: string): Promise<string[]> {
    const rows = await this.facts.idsInDistrictRange(this.dataSource.manager, prefix.padEnd(6, '0'), prefix.padEnd(6, '9'));
    return rows.map((row) => row.id);
  }

  /** The institutions that exist among `ids`, keyed by id. */
  async of(ids: string[]): Promise<Map<string, InstitutionFacts>> {
    if (!ids.length) return new Map();
    return new Map((await this.facts.of(this.dataSource.manager, ids)).map((row) => [row.id, row]));
  }

  /** The owner's institutions, oldest first; with `institutionId`, that one alone if the owner holds it. */
  ownedBy(ownerId: string, institutionId?: string): Promise<OwnedInstitution[]> {
    return this.facts.ownedBy(this.dataSource.manager, ownerId, institutionId ?? null);
  }

  /** Institutions in one of `statuses` that were first licensed before `before`, in id order. */
  approvedBefore(statuses: readonly InstitutionStatus[], before: Date): Promise<Array<{ id: string; districtCode: string }>> {
    return this.facts.approvedBefore(this.dataSource.manager, statuses, before);
  }

  /** Teachers on file now, per institution (zeros for one with none). The register keeps no history of them. */
  async teachersOf(institutionIds: string[]): Promise<Map<string, TeacherCounts>> {
    const found = institutionIds.length ? await this.facts.teacherCounts(this.dataSource.manager, institutionIds) : [];
    const counts = new Map(found.map(({ institutionId, ...counts }) => [institutionId, counts]));
    return new Map(institutionIds.map((id) => [id, counts.get(id) ?? NO_TEACHERS]));
  }

  /** The category (subject or not) of each course, keyed by course id. */
  async courseCategories(courseIds: string[]): Promise<Map<string, InstitutionCategory>> {
    if (!courseIds.length) return new Map();
    return new Map((await this.facts.courseCategories(this.dataSource.manager, courseIds)).map((row) => [row.id, row.category]));
  }

  /** Subject-training institutions holding a valid licence (not out of business), offline and online, per district (zeros where there are none). */
  async licensedSubjectCounts(districtCodes: string[]): Promise<Map<string, SubjectInstitutionCounts>> {
    const found = districtCodes.length ? await this.facts.licensedSubjectCounts(this.dataSource.manager, districtCodes) : [];
    const counts = new Map(found.map(({ districtCode, ...counts }) => [districtCode, counts]));
    return new Map(districtCodes.map((code) => [code, counts.get(code) ?? { offline: 0, online: 0 }]));
  }
}
