import { Injectable } from '@nestjs/common';
import { Clock, Db, districtPrefix, notFound, Principal, unprocessable } from '@app/core';
import { REGISTERED_STATUSES } from '../licence/licence-state-machine';
import { publicList } from '../lists/public-list';
import { CourseTerms, EnrolmentRepository, InstitutionStanding } from './enrolment.repository';

/**
 * The registry's answers to tuition (which may read them, but not the registry's tables): a course's
 * terms for sale or for a roll call, where institutions stand, who owns which, and their names.
 */
@Injectable()
export class EnrolmentService {
  constructor(
    private readonly enrolment: EnrolmentRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * A course a parent may buy now: of an institution on the white list (docs/domain.md, “Licences”: no contract or
   * payment otherwise). 404 COURSE.NOT_FOUND for a course of an institution never licensed; 422
   * INSTITUTION.NOT_ENROLLING, naming its list and licence state, for one that may not sell today.
   */
  async courseForSale(db: Db, courseId: string): Promise<CourseTerms> {
    const terms = await this.enrolment.courseTerms(db, courseId);
    if (!terms || !REGISTERED_STATUSES.includes(terms.status)) throw notFound('The course', 'COURSE.NOT_FOUND');
    this.assertEnrolling(terms);
    return terms;
  }

  /** 422 INSTITUTION.NOT_ENROLLING unless the institution is on the white list today. */
  assertEnrolling(standing: InstitutionStanding): void {
    const list = this.listOf(standing);
    if (list !== 'white') {
      throw unprocessable(
        'INSTITUTION.NOT_ENROLLING',
        `The institution is not taking new contracts or payments: it is ${standing.status} and on the ${list ?? 'no'} list.`,
        {
          list,
          licenceStatus: standing.status,
          frozen: standing.frozen,
        },
      );
    }
  }

  /** Good standing (docs/domain.md, “Licences”): licensed and not frozen. Only then is an institution paid. */
  inGoodStanding(standing: Pick<InstitutionStanding, 'status' | 'frozen'>): boolean {
    return standing.status === 'licensed' && !standing.frozen;
  }

  /** Institutions of the districts matching `districtPattern` that are not in good standing. */
  notInGoodStanding(db: Db, districtPattern: string): Promise<string[]> {
    return this.enrolment.notInGoodStanding(db, districtPattern);
  }

  /** A course of one of the owner's institutions (404 for anyone else's). */
  async courseOfOwner(db: Db, owner: Principal, courseId: string): Promise<CourseTerms> {
    const terms = await this.enrolment.courseTerms(db, courseId);
    if (!terms || terms.ownerUserId !== owner.id) throw notFound('The course', 'COURSE.NOT_FOUND');
    return terms;
  }

  standing(db: Db, institutionIds: string[]): Promise<InstitutionStanding[]> {
    return this.enrolment.standing(db, institutionIds);
  }

  /** Locks the institution's row, first in the platform's lock order, and answers where it stands. */
  async lockStanding(db: Db, institutionId: string): Promise<InstitutionStanding> {
    const standing = await this.enrolment.lockStanding(db, institutionId);
    if (!standing) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
    return standing;
  }

  /** The institutions of one district. */
  inDistrict(db: Db, districtCode: string): Promise<string[]> {
    return this.enrolment.inDistricts(db, districtCode.replace(/[\\%_]/g, ''));
  }

  /** The list a parent sees for an institution today (white, grey, black, or none). */
  listOf(standing: InstitutionStanding): ReturnType<typeof publicList> {
    return publicList(standing, this.clock.today());
  }

  /** Institutions whose licence ended: revoked, expired unrenewed, or closed. Their contracts are refunded. */
  endedLicences(db: Db): Promise<string[]> {
    return this.enrolment.withStatus(db, ['revoked', 'expired', 'closed']);
  }

  /** The account that owns the institution (to notify it). */
  ownerOf(db: Db, institutionId: string): Promise<string | undefined> {
    return this.enrolment.ownerOf(db, institutionId);
  }

  ownedBy(db: Db, ownerUserId: string): Promise<string[]> {
    return this.enrolment.ownedBy(db, ownerUserId);
  }

  /** The institutions a regulator (or the admin) may see: those of its districts. None for other roles. */
  async inScopeOf(db: Db, principal: Principal): Promise<string[]> {
    const prefix = districtPrefix(principal);
    if (prefix === undefined) return [];
    return this.enrolment.inDistricts(db, prefix === '' ? null : `${prefix}%`);
  }

  /** Names of institutions and courses by id, for lists that show them. */
  async names(db: Db, ids: { institutionIds: string[]; courseIds: string[] }): Promise<Map<string, string>> {
    const found = await this.enrolment.names(db, [...new Set(ids.institutionIds)], [...new Set(ids.courseIds)]);
    return new Map(found.map((row) => [row.id, row.name]));
  }
}
