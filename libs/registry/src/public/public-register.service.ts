import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Clock, maskCertificate, notFound } from '@app/core';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { Institution } from '../institutions/institution.entity';
import { REGISTERED_STATUSES } from '../licence/licence-state-machine';
import { publicList } from '../lists/public-list';

export interface PublicSearch {
  q?: string;
  districtCode?: string;
  category?: 'subject' | 'non_subject';
  page: number;
  pageSize: number;
}

const NOT_FOUND_ADVICE = 'Not found in the register: treat as unlicensed.';
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const LICENCE_SHAPE = /^\d{6}-\d{4}-\d{5}$/;

/** What anyone may see without logging in: the licensed register, its lists and its courses. */
@Injectable()
export class PublicRegisterService {
  constructor(
    @InjectRepository(Institution) private readonly institutions: Repository<Institution>,
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
  ) {}

  /**
   * Search by licence number or USCC (exact), else by name: every query bigram must occur in the name
   * (GIN on name_grams, so "东方" finds "新东方培训学校"); when that finds nothing, pg_trgm similarity
   * catches misspellings. Name matches rank by where the query stands in the name and by the name's
   * length (a name that is mostly the query comes first): both are cheap, where similarity() over every
   * match was most of a search's cost with thousands of matches.
   */
  async search(search: PublicSearch) {
    const q = search.q?.trim() ?? '';
    const query = this.institutions.createQueryBuilder('institution').where('institution.status IN (:...registered)', { registered: REGISTERED_STATUSES });
    if (search.districtCode) query.andWhere('institution.district_code = :districtCode', { districtCode: search.districtCode });
    if (search.category) query.andWhere('institution.category = :category', { category: search.category });
    if (LICENCE_SHAPE.test(q)) query.andWhere('institution.licence_number = :q', { q });
    else if (USCC_SHAPE.test(q.toUpperCase())) query.andWhere('institution.uscc = :q', { q: q.toUpperCase() });
    else if (q) {
      query
        .andWhere('institution.name_grams @> name_grams(:q)', { q })
        .orderBy('strpos(lower(institution.name), lower(:q)) = 0', 'ASC')
        .addOrderBy('length(institution.name)', 'ASC');
    }
    query.addOrderBy('institution.name', 'ASC').addOrderBy('institution.id', 'ASC');

    let [rows, total] = await this.pageOf(query, search);
    if (!total && q.length >= 3 && !LICENCE_SHAPE.test(q)) {
      const fuzzy = this.institutions
        .createQueryBuilder('institution')
        .where('institution.status IN (:...registered)', { registered: REGISTERED_STATUSES })
        .andWhere('institution.name % :q', { q })
        .orderBy('similarity(institution.name, :q)', 'DESC')
        .addOrderBy('institution.id');
      if (search.districtCode) fuzzy.andWhere('institution.district_code = :districtCode', { districtCode: search.districtCode });
      if (search.category) fuzzy.andWhere('institution.category = :category', { category: search.category });
      [rows, total] = await this.pageOf(fuzzy, search);
    }
    const today = this.clock.today();
    return {
      items: rows.map((institution) => this.summary(institution, today)),
      total,
      page: search.page,
      pageSize: search.pageSize,
      ...(total === 0 && q ? { notice: NOT_FOUND_ADVICE } : {}),
    };
  }

  /**
   * One page and the number of matches in one statement: COUNT(*) OVER () counts every match before
   * the LIMIT, in the same pass that ranks them, where getManyAndCount would read all the matches a
   * second time in a separate COUNT query. Only a page past the last one needs a count of its own.
   */
  private async pageOf(query: SelectQueryBuilder<Institution>, search: PublicSearch): Promise<[Institution[], number]> {
    const { entities, raw } = await query
      .clone()
      .addSelect('COUNT(*) OVER ()', 'match_count')
      .offset((search.page - 1) * search.pageSize)
      .limit(search.pageSize)
      .getRawAndEntities<{ match_count: string | number }>();
    if (raw.length) return [entities, Number(raw[0].match_count)];
    return [entities, search.page > 1 ? await query.getCount() : 0];
  }

  async detail(id: string) {
    const institution = await this.institutions
      .createQueryBuilder('institution')
      .where('institution.id = :id AND institution.status IN (:...registered)', { id, registered: REGISTERED_STATUSES })
      .getOne();
    if (!institution) throw notFound(NOT_FOUND_ADVICE.replace(/\.$/, ''), 'REGISTER.NOT_FOUND');
    const [courses, teachers] = await Promise.all([this.catalogue.coursesOf(id), this.catalogue.teachersOf(id)]);
    return {
      ...this.summary(institution, this.clock.today()),
      address: institution.address,
      licence: {
        number: institution.licenceNumber,
        status: institution.status,
        validFrom: institution.licenceValidFrom,
        validUntil: institution.licenceValidUntil,
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
        qualificationNo: teacher.qualificationNo ? maskCertificate(teacher.qualificationNo) : null,
        subjects: teacher.subjects,
      })),
      escrowSupervised: institution.status === 'licensed' || institution.status === 'suspended',
    };
  }

  async verifyLicence(number: string) {
    const institution = await this.institutions.findOneBy({ licenceNumber: number });
    if (!institution) throw notFound(`Licence ${number}: ${NOT_FOUND_ADVICE.toLowerCase()}`.replace(/\.$/, ''), 'REGISTER.NOT_FOUND');
    return this.summary(institution, this.clock.today());
  }

  private summary(institution: Institution, today: string) {
    return {
      id: institution.id,
      name: institution.name,
      uscc: institution.uscc,
      districtCode: institution.districtCode,
      category: institution.category,
      delivery: institution.delivery,
      list: publicList(institution, today),
      licence: { number: institution.licenceNumber, status: institution.status, validUntil: institution.licenceValidUntil },
      riskLevel: institution.riskLevel,
    };
  }
}
