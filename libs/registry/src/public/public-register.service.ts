import { Injectable } from '@nestjs/common';
import { Clock, notFound } from '@app/core';
import { DataSource } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { Course } from '../catalogue/courses.repository';
import type { Delivery, InstitutionCategory, RiskLevel } from '../institutions/institutions.repository';
import { InstitutionStatus, REGISTERED_STATUSES } from '../licence/licence-state-machine';
import { PublicList, publicList, publicRiskLevel } from '../lists/public-list';
import { PublicRegisterRepository, RegisterEntry, RegisterMatch } from './public-register.repository';
import { normaliseSearch } from './search-query';

export interface PublicSearch {
  q?: string;
  districtCode?: string;
  category?: 'subject' | 'non_subject';
  page: number;
  pageSize: number;
}

/** An institution as anyone may see it in a list. */
export interface RegisterSummary {
  id: string;
  name: string;
  uscc: string;
  districtCode: string;
  category: InstitutionCategory;
  delivery: Delivery;
  list: PublicList | null;
  licence: { number: string | null; status: InstitutionStatus; validUntil: string | null };
  riskLevel: RiskLevel;
}

/** One institution's public page: its licence, its courses and its teachers (certificates masked). */
export interface RegisterDetail extends RegisterSummary {
  address: string;
  licence: RegisterSummary['licence'] & { validFrom: string | null };
  courses: Pick<Course, 'id' | 'name' | 'subject' | 'sizeBand' | 'lessonMinutes' | 'lessonPriceFen'>[];
  teachers: { name: string; fullTime: boolean; qualified: boolean; qualificationNo: string | null; subjects: string[] }[];
  /** Whether the institution's prepaid tuition is held in supervised escrow now. */
  escrowSupervised: boolean;
}

export interface RegisterSearchAnswer {
  items: RegisterSummary[];
  total: number;
  page: number;
  pageSize: number;
  /** Present when a query found nothing. */
  notice?: string;
}

const NOT_FOUND_ADVICE = 'Not found in the register: treat as unlicensed.';
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const LICENCE_SHAPE = /^\d{6}-\d{4}-\d{5}$/;

/** What anyone may see without logging in: the licensed register, its lists and its courses. */
@Injectable()
export class PublicRegisterService {
  constructor(
    private readonly register: PublicRegisterRepository,
    private readonly catalogue: CatalogueService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Search by licence number or USCC (exact), else by name: every query bigram must occur in the name
   * (GIN on name_grams, so "东方" finds "新东方培训学校"); when that finds nothing, pg_trgm similarity
   * catches misspellings. Name matches rank by where the query stands in the name and by the name's
   * length (a name that is mostly the query comes first): both are cheap, where similarity() over every
   * match was most of a search's cost with thousands of matches. The query is normalised first
   * (search-query.ts: full-width, traditional characters, licence-number separators).
   */
  async search(search: PublicSearch): Promise<RegisterSearchAnswer> {
    const q = normaliseSearch(search.q);
    const query = (match: RegisterMatch) =>
      this.register.search(this.dataSource.manager, {
        statuses: REGISTERED_STATUSES,
        match,
        districtCode: search.districtCode,
        category: search.category,
        limit: search.pageSize,
        offset: (search.page - 1) * search.pageSize,
      });
    let found = await query(matchOf(q));
    if (!found.total && q.length >= 3 && !LICENCE_SHAPE.test(q)) found = await query({ by: 'similarName', value: q });
    const today = this.clock.today();
    return {
      items: found.items.map((entry) => summary(entry, today)),
      total: found.total,
      page: search.page,
      pageSize: search.pageSize,
      ...(found.total === 0 && q ? { notice: NOT_FOUND_ADVICE } : {}),
    };
  }

  async detail(id: string): Promise<RegisterDetail> {
    const entry = await this.register.find(this.dataSource.manager, id, REGISTERED_STATUSES);
    if (!entry) throw notFound(NOT_FOUND_ADVICE.replace(/\.$/, ''), 'REGISTER.NOT_FOUND');
    const [courses, teachers] = await Promise.all([this.catalogue.coursesOf(id), this.catalogue.teachersOf(id)]);
    return {
      ...summary(entry, this.clock.today()),
      address: entry.address,
      licence: {
        number: entry.licenceNumber,
        status: entry.status,
        validFrom: entry.licenceValidFrom,
        validUntil: entry.licenceValidUntil,
      },
      courses: courses.map(({ id: courseId, name, subject, sizeBand, lessonMinutes, lessonPriceFen }) => ({
        id: courseId,
        name,
        subject,
        sizeBand,
        lessonMinutes,
        lessonPriceFen,
      })),
      teachers: teachers.map((teacher) => ({
        name: teacher.name,
        fullTime: teacher.fullTime,
        qualified: Boolean(teacher.qualificationNo),
        // The rules say to publish a qualified teacher's certificate number (docs/domain.md, “Courses and teachers”).
        qualificationNo: teacher.qualificationNo ?? null,
        subjects: teacher.subjects,
      })),
      escrowSupervised: ESCROW_SUPERVISED.includes(entry.status),
    };
  }

  async verifyLicence(number: string): Promise<RegisterSummary> {
    const entry = await this.register.findByLicenceNumber(this.dataSource.manager, number);
    if (!entry) throw notFound(`Licence ${number}: ${NOT_FOUND_ADVICE.toLowerCase()}`.replace(/\.$/, ''), 'REGISTER.NOT_FOUND');
    return summary(entry, this.clock.today());
  }

  /**
   * Subscribes a connection of the caller's to a notification at every change of what a public answer
   * shows (the triggers of migration 1764950000000), whoever makes it.
   */
  listenForChanges(connection: { query(sql: string): Promise<unknown> }): Promise<void> {
    return this.register.listenForChanges(connection);
  }
}

/** A query's shape decides how it matches: a licence number or a USCC exactly, anything else as a name. */
function matchOf(q: string): RegisterMatch {
  if (LICENCE_SHAPE.test(q)) return { by: 'licenceNumber', value: q };
  if (USCC_SHAPE.test(q.toUpperCase())) return { by: 'uscc', value: q.toUpperCase() };
  return q ? { by: 'name', value: q } : { by: 'all' };
}

/** Statuses whose contracts' money is still held in supervised escrow. */
const ESCROW_SUPERVISED: readonly InstitutionStatus[] = ['licensed', 'suspended', 'enrolment_stopped'];

function summary(entry: RegisterEntry, today: string): RegisterSummary {
  const list = publicList(entry, today);
  return {
    id: entry.id,
    name: entry.name,
    uscc: entry.uscc,
    districtCode: entry.districtCode,
    category: entry.category,
    delivery: entry.delivery,
    list,
    licence: { number: entry.licenceNumber, status: entry.status, validUntil: entry.licenceValidUntil },
    riskLevel: publicRiskLevel(entry.riskLevel, list),
  };
}
