import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, Principal, conflict } from '@app/core';
import { DataSource } from 'typeorm';
import { InstitutionsService } from '../institutions/institutions.service';
import { DistrictPolicyService } from '../policy/district-policy.service';
import { exceedsGuidedPrice, highestGuidedPrice } from '../policy/district-policy';
import { Course, CoursesRepository, SizeBand } from './courses.repository';
import { Subject, SubjectsRepository } from './subjects.repository';
import { Teacher, TeachersRepository } from './teachers.repository';

/** Longest lesson allowed by delivery mode (docs/domain.md, “Courses and teachers”). */
export const MAX_LESSON_MINUTES = { offline: 45, online: 30 } as const;

export interface NewCourse {
  name: string;
  subject: string;
  sizeBand: SizeBand;
  lessonMinutes: number;
  lessonPriceFen: number;
}

export interface NewTeacher {
  name: string;
  fullTime: boolean;
  qualificationNo?: string;
  subjects: string[];
  /** Date (YYYY-MM-DD) of the no-criminal-record check (无犯罪记录查询); none yet: STAFF_UNCHECKED fires. */
  backgroundCheckedAt?: string;
}

@Injectable()
export class CatalogueService {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly teachers: TeachersRepository,
    private readonly subjectList: SubjectsRepository,
    private readonly institutions: InstitutionsService,
    private readonly policies: DistrictPolicyService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async addTeacher(owner: Principal, institutionId: string, teacher: NewTeacher): Promise<Teacher> {
    const institution = await this.institutions.findVisible(owner, institutionId);
    if (institution.category === 'subject' && !teacher.qualificationNo) {
      throw new DomainError(
        422,
        'TEACHER.QUALIFICATION_REQUIRED',
        'A subject-training institution’s teachers need a teacher qualification certificate number (教师资格证).',
        {
          errors: [{ field: 'qualificationNo', message: 'required for a subject-training institution' }],
        },
      );
    }
    if (teacher.backgroundCheckedAt && teacher.backgroundCheckedAt > this.clock.today()) {
      throw new DomainError(422, 'TEACHER.BACKGROUND_CHECK_IN_FUTURE', 'A background check cannot be dated after today.', {
        errors: [{ field: 'backgroundCheckedAt', message: 'not after today' }],
      });
    }
    return this.teachers.insert(this.dataSource.manager, {
      institutionId,
      name: teacher.name,
      fullTime: teacher.fullTime,
      qualificationNo: teacher.qualificationNo ?? null,
      subjects: teacher.subjects,
      backgroundCheckedAt: teacher.backgroundCheckedAt ?? null,
      createdAt: this.clock.now(),
    });
  }

  async addCourse(owner: Principal, institutionId: string, course: NewCourse): Promise<Course> {
    const institution = await this.institutions.findVisible(owner, institutionId);
    if (institution.status !== 'licensed') {
      throw conflict('LICENCE.NOT_LICENSED', `Courses can be filed only by a licensed institution; this one is ${institution.status}.`, {
        currentStatus: institution.status,
      });
    }
    const maxMinutes = MAX_LESSON_MINUTES[institution.delivery];
    if (course.lessonMinutes > maxMinutes) {
      throw new DomainError(422, 'POLICY.LESSON_TOO_LONG', `An ${institution.delivery} lesson may last at most ${maxMinutes} minutes.`, {
        errors: [{ field: 'lessonMinutes', message: `at most ${maxMinutes} for ${institution.delivery} lessons` }],
      });
    }
    await this.assertSubjectFits(institution.category, course.subject);
    if (institution.category === 'subject') {
      const policy = await this.policies.policyOf(institution.districtCode);
      const cap = policy.guidedPrices[course.sizeBand];
      const lesson = { priceFen: course.lessonPriceFen, minutes: course.lessonMinutes, delivery: institution.delivery };
      if (exceedsGuidedPrice(lesson, cap, policy.guidedPriceMarginBp)) {
        const highest = highestGuidedPrice(lesson, cap!, policy.guidedPriceMarginBp);
        throw new DomainError(
          422,
          'POLICY.PRICE_ABOVE_GUIDED',
          `The lesson price exceeds the district’s guided price of ${cap} fen per standard lesson for classes of ${course.sizeBand}, prorated to ${course.lessonMinutes} minutes, by more than the allowed margin.`,
          {
            errors: [{ field: 'lessonPriceFen', message: `at most ${highest} fen` }],
            guidedPriceFen: cap,
            highestPriceFen: highest,
          },
        );
      }
      if (!(await this.teachers.anyQualifiedFor(this.dataSource.manager, institutionId, course.subject))) {
        throw new DomainError(
          422,
          'COURSE.NO_QUALIFIED_TEACHER',
          `A subject course needs at least one qualified teacher of ${course.subject}: file the teacher first.`,
        );
      }
    }
    return this.dataSource.transaction(async (manager) => {
      const saved = await this.courses.insert(manager, {
        institutionId,
        name: course.name,
        subject: course.subject,
        category: institution.category,
        sizeBand: course.sizeBand,
        lessonMinutes: course.lessonMinutes,
        lessonPriceFen: course.lessonPriceFen,
        createdAt: this.clock.now(),
      });
      await this.audit.record(manager, {
        action: 'course.filed',
        targetType: 'course',
        targetId: saved.id,
        districtCode: institution.districtCode,
        details: { institutionId, lessonPriceFen: course.lessonPriceFen },
      });
      return saved;
    });
  }

  /** The closed national list of training subjects (docs/domain.md, "Courses and teachers"). */
  subjects(): Promise<Subject[]> {
    return this.subjectList.all(this.dataSource.manager);
  }

  /**
   * A subject-category course names a subject of the national list; a non-subject course may not name
   * one of them (it would be subject training under another name).
   */
  private async assertSubjectFits(category: 'subject' | 'non_subject', subject: string): Promise<void> {
    const listed = (await this.subjects()).filter((entry) => entry.category === 'subject').map((entry) => entry.name);
    if (category === 'subject' && !listed.includes(subject)) {
      throw new DomainError(422, 'COURSE.SUBJECT_NOT_LISTED', `A subject-training course must name a subject of the national list: ${listed.join(', ')}.`, {
        errors: [{ field: 'subject', message: `one of ${listed.join(', ')}` }],
      });
    }
    if (category === 'non_subject' && listed.includes(subject)) {
      throw new DomainError(422, 'COURSE.SUBJECT_NOT_ALLOWED', `${subject} is a subject-training subject: a non-subject institution may not teach it.`, {
        errors: [{ field: 'subject', message: 'a subject-training subject in a non-subject institution' }],
      });
    }
  }

  coursesOf(institutionId: string): Promise<Course[]> {
    return this.courses.ofInstitution(this.dataSource.manager, institutionId);
  }

  teachersOf(institutionId: string): Promise<Teacher[]> {
    return this.teachers.ofInstitution(this.dataSource.manager, institutionId);
  }
}
