import { Injectable } from '@nestjs/common';
import { ReferenceDataService } from '@app/core';
import { shanghaiDate } from '@app/core/calendar/shanghai-time';
import { LedgerFactsService } from '@app/ledger';
import { Delivery, DistrictPolicy, DistrictPolicyService, InstitutionFactsService } from '@app/registry';
import { DataSource } from 'typeorm';
import { prepaidLimitBreach } from '../contracts/prepaid-limits';
import { lessonTimeBreaches } from '../lessons/lesson-time-rules';
import { RefundRequestRow, TuitionFactsRepository } from './tuition-facts.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/** An institution as the facts need it: its district names the policy, its delivery the latest lesson end. */
export interface TuitionSubject {
  id: string;
  districtCode: string;
  delivery: Delivery;
}

/** What tuition and its escrow say of one institution, measured against its district's policy of today. */
export interface InstitutionTuitionFacts {
  /** Active contracts beyond the district's current prepaid limits (lessons, months or amount). */
  contractsOverPrepaidLimit: number;
  /** Custody per the ledger: what the supervising bank should hold for the institution. */
  custodyLedgerFen: number;
  /** Prepaid money not yet consumed or refunded, over all the institution's contracts. */
  escrowHeldFen: number;
  prepaidLast7DaysFen: number;
  prepaidPrevious8WeeksFen: number;
  refundRequests30d: number;
  /** Business date (Asia/Shanghai) of the latest lesson, or null for none. */
  lastLessonDate: string | null;
  /** Start date of the earliest active (paid) contract, or null for none: a stall of lessons counts from there at the earliest. */
  earliestActiveContractStart: string | null;
  /** Lessons of the last 30 days that break the hour or rest-day rules. */
  lessonsBreakingTimeRules30d: number;
}

export interface MonthSpan {
  institutionId: string;
  /** [from, to): the instants the month begins and the next one begins. */
  from: Date;
  to: Date;
}

/** A month of an institution as tuition records it (the figures of a monthly report that tuition knows). */
export interface MonthTuitionFigures {
  /** Distinct (parent, student name) over contracts signed before the month ended and not refunded before it began. */
  students: number;
  newContracts: number;
  /** Lessons (roll calls) starting in the month, voided ones included. */
  lessonsDelivered: number;
  prepaidCollectedFen: number;
  /** Refund transfers out of escrow in the month. */
  refundsFen: number;
}

export type RefundRequestFacts = RefundRequestRow;

/**
 * Tuition as the other libs read it (docs/architecture.md, "Cross-lib reads"): contracts, payments,
 * refunds, lessons and escrow figures for many institutions at once. The rules behind a figure are the
 * ones tuition enforces (prepaid limits, lesson times), applied here in JavaScript, not restated in SQL.
 */
@Injectable()
export class TuitionFactsService {
  constructor(
    private readonly facts: TuitionFactsRepository,
    private readonly ledger: LedgerFactsService,
    private readonly policies: DistrictPolicyService,
    private readonly register: InstitutionFactsService,
    private readonly reference: ReferenceDataService,
    private readonly dataSource: DataSource,
  ) {}

  /** The facts of each institution at `now`, keyed by id. */
  async ofInstitutions(institutions: TuitionSubject[], now: Date): Promise<Map<string, InstitutionTuitionFacts>> {
    if (!institutions.length) return new Map();
    const db = this.dataSource.manager;
    const ids = institutions.map((institution) => institution.id);
    const daysBefore = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const since30Days = daysBefore(30);
    const [policies, terms, prepaid, refundRequests, latestLessons, lessons, balances] = await Promise.all([
      this.policiesOf(institutions),
      this.facts.activeTerms(db, ids),
      this.facts.prepaidSums(db, ids, { previous8Weeks: daysBefore(63), last7Days: daysBefore(7) }),
      this.facts.refundRequestCounts(db, ids, since30Days),
      this.facts.latestLessons(db, ids),
      this.facts.lessonsSince(db, ids, since30Days),
      this.ledger.postedBalances(ids, ['custody', 'escrow']),
    ]);
    const [categories, calendar] = await Promise.all([
      this.register.courseCategories([...new Set(lessons.map((lesson) => lesson.courseId))]),
      this.reference.workingDayCalendar(),
    ]);
    // A batch's lessons fall on some thirty dates: each is looked up in the calendar once.
    const restDays = new Map<string, boolean>();
    const restDayCalendar = {
      isRestDay: (date: string): boolean => restDays.get(date) ?? restDays.set(date, calendar.isRestDay(date)).get(date)!,
    };

    const facts = new Map<string, InstitutionTuitionFacts>(
      institutions.map((institution) => [
        institution.id,
        {
          contractsOverPrepaidLimit: 0,
          custodyLedgerFen: 0,
          escrowHeldFen: 0,
          prepaidLast7DaysFen: 0,
          prepaidPrevious8WeeksFen: 0,
          refundRequests30d: 0,
          lastLessonDate: null,
          earliestActiveContractStart: null,
          lessonsBreakingTimeRules30d: 0,
        },
      ]),
    );
    const subject = new Map(institutions.map((institution) => [institution.id, institution]));
    const policyOf = (institutionId: string): DistrictPolicy => policies.get(subject.get(institutionId)!.districtCode)!;

    for (const row of terms) {
      const fact = facts.get(row.institutionId)!;
      if (prepaidLimitBreach([row], policyOf(row.institutionId))) fact.contractsOverPrepaidLimit += row.contracts;
      if (fact.earliestActiveContractStart === null || row.startDate < fact.earliestActiveContractStart) fact.earliestActiveContractStart = row.startDate;
    }
    for (const row of balances) {
      const fact = facts.get(row.institutionId)!;
      // Custody is the asset (debit-normal); escrow a liability (credit-normal).
      if (row.code === 'custody') fact.custodyLedgerFen = row.debitsPosted - row.creditsPosted;
      else fact.escrowHeldFen = row.creditsPosted - row.debitsPosted;
    }
    for (const row of prepaid) {
      Object.assign(facts.get(row.institutionId)!, { prepaidLast7DaysFen: row.last7DaysFen, prepaidPrevious8WeeksFen: row.previous8WeeksFen });
    }
    for (const row of refundRequests) facts.get(row.institutionId)!.refundRequests30d = row.count;
    for (const row of latestLessons) facts.get(row.institutionId)!.lastLessonDate = shanghaiDate(row.startsAt);
    for (const lesson of lessons) {
      const breaches = lessonTimeBreaches(
        { startsAt: new Date(lesson.startsAtMs), minutes: lesson.minutes },
        { category: categories.get(lesson.courseId)!, delivery: subject.get(lesson.institutionId)!.delivery },
        policyOf(lesson.institutionId),
        restDayCalendar,
      );
      if (breaches.some((breach) => breach.rule !== 'LESSON_TOO_LONG')) facts.get(lesson.institutionId)!.lessonsBreakingTimeRules30d++;
    }
    return facts;
  }

  /** The tuition figures of each (institution, month), in the order asked. */
  async monthFigures(spans: MonthSpan[]): Promise<MonthTuitionFigures[]> {
    if (!spans.length) return [];
    const refunds = await this.ledger.transfersDebiting([...new Set(spans.map((span) => span.institutionId))], 'refund');
    const refunded = refunds.filter((refund) => refund.contractId !== null);
    const counts = await this.facts.monthCounts(
      this.dataSource.manager,
      { institutionIds: spans.map((span) => span.institutionId), from: spans.map((span) => span.from), to: spans.map((span) => span.to) },
      { contractIds: refunded.map((refund) => refund.contractId!), at: refunded.map((refund) => refund.createdAt) },
    );
    return spans.map((span, index) => ({
      ...counts[index],
      refundsFen: refunds
        .filter((refund) => refund.institutionId === span.institutionId && refund.createdAt >= span.from && refund.createdAt < span.to)
        .reduce((sum, refund) => sum + refund.amount, 0),
    }));
  }

  /**
   * Pupils (distinct parent and student name) with an active contract for a subject-category course, per
   * district (0 where none): the reduction figures count like-for-like with the baseline (docs/domain.md,
   * "Reduction"), so a pupil in art or sport training is no pupil in subject training.
   */
  async activeSubjectPupils(districtCodes: string[]): Promise<Map<string, number>> {
    const db = this.dataSource.manager;
    const courses = districtCodes.length ? await this.facts.activeCourseIds(db, districtCodes) : [];
    const categories = await this.register.courseCategories(courses);
    const subjectCourses = courses.filter((id) => categories.get(id) === 'subject');
    const found = subjectCourses.length ? await this.facts.activePupils(db, districtCodes, subjectCourses) : [];
    const pupils = new Map(found.map((row) => [row.districtCode, row.pupils]));
    return new Map(districtCodes.map((code) => [code, pupils.get(code) ?? 0]));
  }

  /** Whether the contract exists and is the parent's. */
  isParentOf(contractId: string, parentId: string): Promise<boolean> {
    return this.facts.isParentOf(this.dataSource.manager, contractId, parentId);
  }

  refundRequest(id: string): Promise<RefundRequestFacts | undefined> {
    return this.facts.refundRequest(this.dataSource.manager, id);
  }

  private async policiesOf(institutions: TuitionSubject[]): Promise<Map<string, DistrictPolicy>> {
    const codes = [...new Set(institutions.map((institution) => institution.districtCode))];
    return new Map(await Promise.all(codes.map(async (code) => [code, await this.policies.policyOf(code)] as const)));
  }
}
