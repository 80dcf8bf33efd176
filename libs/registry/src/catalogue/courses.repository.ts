import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '@app/core';
import type { InstitutionCategory } from '../institutions/institutions.repository';

export const SIZE_BANDS = ['<10', '10-35', '>35'] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];

/** A course an institution filed: what a lesson costs (fen) and lasts, for classes of one size band. */
export interface Course {
  id: string;
  institutionId: string;
  name: string;
  subject: string;
  /** The institution's category when the course was filed. */
  category: InstitutionCategory;
  sizeBand: SizeBand;
  lessonMinutes: number;
  lessonPriceFen: number;
  createdAt: Date;
}

const COLUMNS = `id, institution_id AS "institutionId", name, subject, category, size_band AS "sizeBand", lesson_minutes AS "lessonMinutes",
  lesson_price_fen AS "lessonPriceFen", created_at AS "createdAt"`;

@Injectable()
export class CoursesRepository {
  async insert(db: Db, course: Omit<Course, 'id'>): Promise<Course> {
    const inserted = await firstRow<Course>(
      db,
      `INSERT INTO courses (institution_id, name, subject, category, size_band, lesson_minutes, lesson_price_fen, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [course.institutionId, course.name, course.subject, course.category, course.sizeBand, course.lessonMinutes, course.lessonPriceFen, course.createdAt],
    );
    return inserted!;
  }

  /** In the order they were filed. */
  ofInstitution(db: Db, institutionId: string): Promise<Course[]> {
    return rows<Course>(db, `SELECT ${COLUMNS} FROM courses WHERE institution_id = $1 ORDER BY created_at, id`, [institutionId]);
  }
}
