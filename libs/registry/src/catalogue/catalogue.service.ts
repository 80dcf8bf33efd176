import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditService, Clock, DomainError, Principal, conflict } from '@app/core';
import { DataSource, Repository } from 'typeorm';
import { InstitutionsService } from '../institutions/institutions.service';
import { DistrictPolicyService } from '../policy/district-policy.service';
import { exceedsGuidedPrice } from '../policy/district-policy';
import { Course, SizeBand } from './course.entity';
import { Teacher } from './teacher.entity';

/** Longest lesson allowed by delivery mode (DESIGN §3). */
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
    @InjectRepository(Course) private readonly courses: Repository<Course>,
    @InjectRepository(Teacher) private readonly teachers: Repository<Teacher>,
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
    return this.teachers.save(
      this.teachers.create({ ...teacher, qualificationNo: teacher.qualificationNo ?? null, institutionId, createdAt: this.clock.now() }),
    );
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
      const qualified = await this.teachers
        .createQueryBuilder('teacher')
        .where('teacher.institution_id = :institutionId AND teacher.qualification_no IS NOT NULL AND :subject = ANY(teacher.subjects)', {
          institutionId,
          subject: course.subject,
        })
        .getExists();
      if (!qualified) {
        throw new DomainError(
          422,
          'COURSE.NO_QUALIFIED_TEACHER',
          `A subject course needs at least one qualified teacher of ${course.subject}: file the teacher first.`,
        );
      }
    }
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        Course,
        manager.create(Course, { ...course, institutionId, category: institution.category, createdAt: this.clock.now() }),
      );
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
    return this.courses.find({ where: { institutionId }, order: { createdAt: 'ASC' } });
  }

  teachersOf(institutionId: string): Promise<Teacher[]> {
    return this.teachers.find({ where: { institutionId }, order: { createdAt: 'ASC' } });
  }
}
