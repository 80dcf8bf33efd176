import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, Principal, conflict } from '@app/core';
import { DataSource } from 'typeorm';
import { InstitutionsService } from '../institutions/institutions.service';
import { DistrictPolicyService } from '../policy/district-policy.service';
import { exceedsGuidedPrice } from '../policy/district-policy';
import { Course, CoursesRepository, SizeBand } from './courses.repository';
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
}

@Injectable()
export class CatalogueService {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly teachers: TeachersRepository,
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
    return this.teachers.insert(this.dataSource.manager, {
      institutionId,
      name: teacher.name,
      fullTime: teacher.fullTime,
      qualificationNo: teacher.qualificationNo ?? null,
      subjects: teacher.subjects,
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
    if (institution.category === 'subject') {
      const policy = await this.policies.policyOf(institution.districtCode);
      const cap = policy.guidedPrices[course.sizeBand];
      if (exceedsGuidedPrice(course.lessonPriceFen, cap)) {
        throw new DomainError(
          422,
          'POLICY.PRICE_ABOVE_GUIDED',
          `The lesson price exceeds the district’s guided price of ${cap} fen for classes of ${course.sizeBand} by more than 10%.`,
          {
            errors: [{ field: 'lessonPriceFen', message: `at most ${Math.floor((cap! * 110) / 100)} fen` }],
            guidedPriceFen: cap,
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

  coursesOf(institutionId: string): Promise<Course[]> {
    return this.courses.ofInstitution(this.dataSource.manager, institutionId);
  }

  teachersOf(institutionId: string): Promise<Teacher[]> {
    return this.teachers.ofInstitution(this.dataSource.manager, institutionId);
  }
}
